#pragma once
// A small eval-set folder for the editor tests: both side files with another clip, unknown
// keys at every level, odd index spellings and out-of-range entries (all must survive edits).
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include "edit/clip_document.hpp"

namespace idm::test {

inline const std::string kClip = "clips_recording_a/clip_001_typing";
inline const std::string kOtherClip = "clips_recording_a/clip_002_scroll";

inline std::vector<Action> fixture_canonical() {
  std::vector<Action> gt;
  const char* keys[] = {"A", "B", "Shift", "Return", "Cmd+S", "Space", "7", "Escape"};
  for (int i = 0; i < 8; ++i) gt.push_back({i * 3, i == 5 ? ActionType::MouseClick : ActionType::KeyPress, i == 5 ? "Left" : keys[i]});
  return gt;
}

inline nlohmann::ordered_json fixture_annotations() {
  return nlohmann::ordered_json::parse(R"({
    "_meta": {"annotator": "ana", "version": 3},
    ")" + kOtherClip + R"(": {"0": "visible", "1": "not_predictable"},
    ")" + kClip + R"(": {"0": "visible", "05": "ambiguous", "999": "visible", "x": "inferable", "3": "bogus"}
  })");
}

inline nlohmann::ordered_json fixture_overrides() {
  return nlohmann::ordered_json::parse(R"({
    ")" + kClip + R"(": {"note": "checked by ana", "edits": {"1": "B2", "42": "Z"}, "deletions": [2, "77"],
        "additions": [{"frame": "F10", "type": "KeyPress", "detail": "Q", "why": "missed"}, {"frame": 3, "type": "Bogus", "detail": "z"}]},
    ")" + kOtherClip + R"(": {"deletions": ["0"]},
    "_schema": 2
  })");
}

// A scratch folder for the editor tests. In /dev/shm (tmpfs) when there is one, where fsync
// costs nothing: the property and crash tests save thousands of times, and a SIGKILL sees the
// same rename atomicity there as on a disk (power loss is what fsync is for, not kills).
// IDMSCOPE_EDIT_TEST_DIR=/some/disk/folder runs them on a real disk instead.
class EditTempDir {
 public:
  EditTempDir() {
    std::filesystem::path parent = std::filesystem::temp_directory_path();
    std::error_code code;
    if (const char* chosen = std::getenv("IDMSCOPE_EDIT_TEST_DIR")) parent = chosen;
    else if (std::filesystem::is_directory("/dev/shm", code) && ::access("/dev/shm", W_OK) == 0) parent = "/dev/shm";
    static int counter = 0;
    path_ = parent / ("idmscope-edit-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~EditTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  EditTempDir(const EditTempDir&) = delete;
  EditTempDir& operator=(const EditTempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, std::string_view bytes) const {
    std::ofstream out(path_ / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + (path_ / name).string());
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

inline void write_fixture(const EditTempDir& dir) {
  dir.write("annotations.json", fixture_annotations().dump(2));
  dir.write("gt_overrides.json", fixture_overrides().dump(2));
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline nlohmann::ordered_json read_json_file(const std::filesystem::path& path) { return nlohmann::ordered_json::parse(read_text(path.string())); }

// Every file in the folder with its bytes: what a read-only reader must leave as it was.
inline std::map<std::string, std::string> folder_contents(const std::filesystem::path& folder) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) out[entry.path().filename().string()] = read_text(entry.path().string());
  return out;
}

}  // namespace idm::test
