#include "config/config_dir.hpp"

#include <cstdlib>

namespace idm {

std::filesystem::path config_dir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path base = xdg && *xdg ? std::filesystem::path(xdg)
                               : home && *home ? std::filesystem::path(home) / ".config"
                                               : std::filesystem::path(".");
  return base / "idmscope";
}

}  // namespace idm
