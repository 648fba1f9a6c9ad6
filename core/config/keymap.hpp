#pragma once
// Remappable keys: every viewer action has default chords; `keys.json` in the XDG config dir
// can replace them. Problems (unknown actions, unreadable chords, one chord bound to two
// actions) are reported with the file's name, and never stop the app.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace idm {

struct KeyChord {
  std::string key;  // canonical name: "A".."Z", "0".."9", "F1".."F12", "Left", "Space", "[", ...
  bool ctrl = false;
  bool shift = false;
  bool alt = false;
  std::string text() const;  // "Ctrl+Shift+Z"
  bool operator==(const KeyChord&) const = default;
};

// "ctrl+shift+z", "Right", "[", "space", "F5"; false with error naming what is wrong.
bool parse_chord(std::string_view text, KeyChord& out, std::string& error);
// The key names parse_chord accepts (for help text and the GUI's key-code table).
const std::vector<std::string>& known_key_names();

struct KeyAction {
  const char* id;           // as written in keys.json
  const char* description;  // for the help table
  std::vector<const char*> default_chords;
};
const std::vector<KeyAction>& key_actions();

struct KeyMap {
  std::map<std::string, std::vector<KeyChord>> bindings;  // action id -> chords
  std::vector<std::string> problems;                      // "keys.json: ..." one line each
  const std::vector<KeyChord>& chords(const std::string& action) const;
};

KeyMap default_keymap();
// Defaults, then the file's "bindings" object ({"action": "Chord" | ["Chord", ...]}). A
// missing file is not a problem. When a chord ends up on two actions, the action listed
// first in key_actions() keeps it and the conflict is reported.
KeyMap load_keymap(const std::filesystem::path& file);
std::filesystem::path default_keymap_path();  // $XDG_CONFIG_HOME/idmscope/keys.json

}  // namespace idm
