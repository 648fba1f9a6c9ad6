// Remappable keys: chord parsing, keys.json overrides, conflicts and problems named.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "config/keymap.hpp"

using namespace idm;

namespace {

std::filesystem::path write_config(const std::string& name, const std::string& text) {
  auto directory = std::filesystem::temp_directory_path() / ("idmscope-keys-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  auto path = directory / name;
  std::ofstream(path) << text;
  return path;
}

std::string chords_text(const KeyMap& map, const std::string& action) {
  std::string out;
  for (const KeyChord& chord : map.chords(action)) out += (out.empty() ? "" : ",") + chord.text();
  return out;
}

}  // namespace

TEST_CASE("keymap: chords parse case-insensitively into canonical names") {
  KeyChord chord;
  std::string error;
  REQUIRE(parse_chord("ctrl+shift+z", chord, error));
  CHECK(chord.text() == "Ctrl+Shift+Z");
  REQUIRE(parse_chord("right", chord, error));
  CHECK(chord.text() == "Right");
  REQUIRE(parse_chord("Alt+[", chord, error));
  CHECK(chord.text() == "Alt+[");
  REQUIRE(parse_chord("f12", chord, error));
  CHECK(chord.key == "F12");
  CHECK_FALSE(parse_chord("Hyper+A", chord, error));
  CHECK(error.find("unknown modifier 'Hyper'") != std::string::npos);
  CHECK_FALSE(parse_chord("Ctrl+Banana", chord, error));
  CHECK(error.find("unknown key 'Banana'") != std::string::npos);
  CHECK_FALSE(parse_chord("", chord, error));
}

TEST_CASE("keymap: defaults have no conflicts, and every action has a key") {
  KeyMap map = load_keymap("/nonexistent/keys.json");  // a missing file is not a problem
  CHECK(map.problems.empty());
  for (const KeyAction& action : key_actions()) CHECK_MESSAGE(!map.chords(action.id).empty(), action.id);
  CHECK(chords_text(map, "next_clip") == "],Down");
}

TEST_CASE("keymap: keys.json replaces an action's keys, reports problems and resolves conflicts") {
  auto path = write_config("keys.json", R"({"theme": "kept", "bindings": {
      "next_frame": ["D", "Right"],
      "previous_frame": "g",
      "pause": [],
      "play_pause": "Ctrl+O",
      "fly_away": "F",
      "last_frame": ["Ctrl+Banana", 7]
  }})");
  KeyMap map = load_keymap(path);
  CHECK(chords_text(map, "next_frame") == "D,Right");
  CHECK(chords_text(map, "previous_frame") == "G");
  CHECK(chords_text(map, "pause").empty());  // [] unbinds
  // play_pause is listed before open_dataset, so it keeps Ctrl+O and open_dataset loses it.
  CHECK(chords_text(map, "play_pause") == "Ctrl+O");
  CHECK(chords_text(map, "open_dataset").empty());
  CHECK(chords_text(map, "first_frame") == "Home");  // untouched actions keep their defaults
  REQUIRE(map.problems.size() == 4);
  std::string all;
  for (const std::string& problem : map.problems) {
    CHECK(problem.starts_with(path.string() + ": "));
    all += problem + "\n";
  }
  CHECK(all.find("unknown action \"fly_away\"") != std::string::npos);
  CHECK(all.find("last_frame: 'Ctrl+Banana': unknown key 'Banana'") != std::string::npos);
  CHECK(all.find("last_frame: keys are strings") != std::string::npos);
  CHECK(all.find("Ctrl+O is bound to both play_pause and open_dataset; play_pause keeps it") != std::string::npos);
}

TEST_CASE("keymap: an unreadable file keeps the defaults and says so") {
  KeyMap map = load_keymap(write_config("broken.json", "{\"bindings\": "));
  REQUIRE(map.problems.size() == 1);
  CHECK(map.problems[0].find("broken.json: not a JSON object") != std::string::npos);
  CHECK(chords_text(map, "next_frame") == "Right");
}
