#include "recent.hpp"

#include "io/frame_io_guard.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "io/atomic_write.hpp"

namespace idm::gui {

namespace {

constexpr size_t kMaxRecent = 10;

nlohmann::ordered_json read_document() {
  note_file_access("read", recent_file_path());
  std::ifstream in(recent_file_path());
  if (!in) return nlohmann::ordered_json::object();
  std::stringstream text;
  text << in.rdbuf();
  auto document = nlohmann::ordered_json::parse(text.str(), nullptr, false);
  return document.is_object() ? document : nlohmann::ordered_json::object();  // unreadable: start over
}

}  // namespace

std::filesystem::path recent_file_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  std::filesystem::path base = xdg && *xdg ? std::filesystem::path(xdg)
                               : std::getenv("HOME") ? std::filesystem::path(std::getenv("HOME")) / ".config"
                                                     : std::filesystem::path(".");
  return base / "idmscope" / "recent.json";
}

std::vector<std::string> load_recent_datasets() {
  std::vector<std::string> out;
  auto document = read_document();
  if (auto it = document.find("datasets"); it != document.end() && it->is_array()) {
    for (const auto& item : *it) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

bool remember_dataset(const std::string& dataset, std::string& error) {
  std::error_code code;
  std::string absolute = std::filesystem::absolute(dataset, code).lexically_normal().string();
  if (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  auto document = read_document();
  std::vector<std::string> list = load_recent_datasets();
  std::erase(list, absolute);
  list.insert(list.begin(), absolute);
  if (list.size() > kMaxRecent) list.resize(kMaxRecent);
  document["datasets"] = list;
  std::filesystem::create_directories(recent_file_path().parent_path(), code);
  return write_file_atomically(recent_file_path(), document.dump(2) + "\n", error);
}

}  // namespace idm::gui
