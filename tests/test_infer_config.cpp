// infer.json: sections read per backend, saves that keep every other key, and bad files named.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/infer_config.hpp"

using namespace idm;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  auto directory = std::filesystem::temp_directory_path() / ("idmscope-infercfg-" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(directory);
  return directory;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("infer config: a missing file is empty unless the user named it") {
  auto path = fresh_dir("missing") / "infer.json";
  nlohmann::json section;
  std::string error;
  CHECK(read_infer_config_section(path, false, "openai", section, error));
  CHECK(section == nlohmann::json::object());
  CHECK_FALSE(read_infer_config_section(path, true, "openai", section, error));
  CHECK(error == path.string() + ": not found");
  CHECK(read_infer_default_backend(path).empty());
}

TEST_CASE("infer config: a save merges into the section and keeps everything else") {
  auto path = fresh_dir("merge") / "idmscope" / "infer.json";  // the folder does not exist yet
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << R"({"zeta": [1, 2], "openai": {"model": "m", "timeout_s": 30, "frames": {"burn_labels": false, "mine": 1}},
                             "command": {"command": ["x"]}})";
  std::string error;
  nlohmann::json values{{"model", "idm-7b"}, {"api_key_env", nullptr}, {"frames", {{"max_edge_px", 640}, {"burn_labels", nullptr}}}};
  REQUIRE(write_infer_config_section(path, "openai", values, error));
  REQUIRE(write_infer_default_backend(path, "openai", error));
  auto saved = nlohmann::ordered_json::parse(read_text(path));
  CHECK(saved["zeta"] == nlohmann::ordered_json::array({1, 2}));
  CHECK(saved["command"]["command"][0] == "x");
  CHECK(saved["openai"]["model"] == "idm-7b");
  CHECK(saved["openai"]["timeout_s"] == 30);  // not in `values`: kept
  CHECK(saved["openai"]["frames"]["mine"] == 1);
  CHECK(saved["openai"]["frames"]["max_edge_px"] == 640);
  CHECK_FALSE(saved["openai"]["frames"].contains("burn_labels"));  // null removed it
  CHECK_FALSE(saved["openai"].contains("api_key_env"));
  CHECK(saved.begin().key() == "zeta");  // the user's key order survives
  CHECK(read_infer_default_backend(path) == "openai");
  nlohmann::json section;
  REQUIRE(read_infer_config_section(path, true, "openai", section, error));
  CHECK(section["model"] == "idm-7b");
  // No temp files are left next to it.
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(path.parent_path())) ++files;
  CHECK(files == 1);
}

TEST_CASE("infer config: a broken file is named and never overwritten") {
  auto directory = fresh_dir("broken");
  std::filesystem::create_directories(directory);
  auto path = directory / "infer.json";
  const std::string broken = "{\"openai\": {\"model\": \"m\",";  // truncated by hand
  std::ofstream(path) << broken;
  nlohmann::json section;
  std::string error;
  CHECK_FALSE(read_infer_config_section(path, false, "openai", section, error));
  CHECK(error == path.string() + ": not a JSON object");
  error.clear();
  CHECK_FALSE(write_infer_config_section(path, "openai", {{"model", "x"}}, error));
  CHECK(error.find(path.string() + ": not a JSON object") == 0);
  CHECK(error.find("left as it is") != std::string::npos);
  CHECK(read_text(path) == broken);

  std::ofstream(path, std::ios::trunc) << R"({"openai": "not an object"})";
  CHECK_FALSE(read_infer_config_section(path, false, "openai", section, error));
  CHECK(error == path.string() + ": $.openai is not an object");
  CHECK_FALSE(write_infer_config_section(path, "openai", nlohmann::json::array(), error));
}
