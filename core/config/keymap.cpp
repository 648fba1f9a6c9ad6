#include "config/keymap.hpp"
#include "config/config_dir.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace idm {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The text in single quotes, built by appending: GCC 12 at -O3 wrongly reports -Wrestrict on
// operator+(const char*, std::string&&), which inserts at the front of the temporary.
std::string in_quotes(std::string_view text) {
  std::string out = "'";
  out.append(text).append("'");
  return out;
}

std::vector<std::string> make_key_names() {
  std::vector<std::string> names;
  for (char c = 'A'; c <= 'Z'; ++c) names.emplace_back(1, c);
  for (char c = '0'; c <= '9'; ++c) names.emplace_back(1, c);
  // Appending, not `"F" + std::to_string(f)`: the same GCC 12 false positive as in in_quotes().
  for (int f = 1; f <= 12; ++f) names.push_back(std::string("F").append(std::to_string(f)));
  for (char c = '0'; c <= '9'; ++c) names.push_back(std::string("Keypad") + c);
  for (const char* name : {"Left", "Right", "Up", "Down", "Home", "End", "PageUp", "PageDown", "Space", "Tab", "Enter",
                           "Escape", "Backspace", "Delete", "Insert", "[", "]", ",", ".", "/", ";", "'", "-", "=", "`", "\\"}) {
    names.emplace_back(name);
  }
  return names;
}

}  // namespace

const std::vector<std::string>& known_key_names() {
  static const std::vector<std::string> names = make_key_names();
  return names;
}

std::string KeyChord::text() const {
  std::string out;
  if (ctrl) out += "Ctrl+";
  if (alt) out += "Alt+";
  if (shift) out += "Shift+";
  return out + key;
}

bool parse_chord(std::string_view text, KeyChord& out, std::string& error) {
  out = KeyChord{};
  std::string rest(text);
  // Modifiers first ("Ctrl+", "Shift+", "Alt+", any case); "+" itself is not a key here.
  while (true) {
    size_t plus = rest.find('+');
    if (plus == std::string::npos || plus == 0) break;
    std::string modifier = lower(std::string_view(rest).substr(0, plus));
    if (modifier == "ctrl" || modifier == "control") out.ctrl = true;
    else if (modifier == "shift") out.shift = true;
    else if (modifier == "alt") out.alt = true;
    else {
      error = in_quotes(text) + ": unknown modifier " + in_quotes(rest.substr(0, plus)) + " (use Ctrl, Shift, Alt)";
      return false;
    }
    rest = rest.substr(plus + 1);
  }
  for (const std::string& name : known_key_names()) {
    if (lower(name) == lower(rest)) {
      out.key = name;
      return true;
    }
  }
  error = in_quotes(text) + ": unknown key " + in_quotes(rest);
  return false;
}

const std::vector<KeyAction>& key_actions() {
  static const std::vector<KeyAction> actions = {
      {"next_frame", "next grid frame", {"Right"}},
      {"previous_frame", "previous grid frame", {"Left"}},
      {"next_native_frame", "next native (source) frame", {"Shift+Right"}},
      {"previous_native_frame", "previous native (source) frame", {"Shift+Left"}},
      {"first_frame", "first grid frame", {"Home"}},
      {"last_frame", "last grid frame", {"End"}},
      {"play_pause", "play / pause", {"Space"}},
      {"play_backwards", "play backwards (repeat: faster)", {"J"}},
      {"pause", "pause", {"K"}},
      {"play_forwards", "play forwards (repeat: faster)", {"L"}},
      {"next_clip", "next clip in browser order", {"]", "Down"}},
      {"previous_clip", "previous clip in browser order", {"[", "Up"}},
      {"open_dataset", "open a dataset", {"Ctrl+O"}},
      {"toggle_native_playback", "play on the 5 fps grid / at native fps", {"Shift+Space"}},
      {"next_miss", "next FN/FP across the dataset, in browser order", {"N"}},
      {"previous_miss", "previous FN/FP across the dataset, in browser order", {"P"}},
      {"export_png", "export the current view as PNG", {"Ctrl+E"}},
      {"export_mp4", "export the clip with overlays as MP4", {"Ctrl+Shift+E"}},
      {"label_visible", "label the selected GT action visible, go to the next unlabelled", {"1", "Keypad1"}},
      {"label_inferable", "label it inferable", {"2", "Keypad2"}},
      {"label_ambiguous", "label it ambiguous", {"3", "Keypad3"}},
      {"label_not_predictable", "label it not predictable", {"4", "Keypad4"}},
      {"next_action", "select the next GT action", {"Tab"}},
      {"previous_action", "select the previous GT action", {"Shift+Tab"}},
      {"undo", "undo the last edit", {"Ctrl+Z"}},
      {"redo", "redo", {"Ctrl+Shift+Z", "Ctrl+Y"}},
      {"save", "save labels and overrides now (autosave is on)", {"Ctrl+S"}},
      {"delete_action", "delete the selected GT action (an override)", {"Delete"}},
      {"edit_detail", "edit the selected action's detail", {"E"}},
      {"add_action", "add a GT action at the current frame", {"A"}},
      {"run_model", "run the model (Run model window's settings) on this clip", {"Ctrl+R"}},
      {"cancel_run", "cancel the model run", {"Ctrl+Shift+R"}},
      {"rsv_next_step", "RSV: first frame of the next action step", {"PageDown", "."}},
      {"rsv_previous_step", "RSV: first frame of this / the previous action step", {"PageUp", ","}},
      {"rsv_partner", "RSV: jump to the partner trajectory (the other half)", {"O"}},
      {"rsv_toggle_difference", "RSV: show / hide the |A - B| pane of a pair", {"X"}},
      {"rsv_flicker", "RSV: blink between the two endpoint frames", {"B"}},
      {"toggle_browser", "show / collapse the clip browser", {"F2"}},
      {"toggle_editor", "show / collapse the editor", {"F3"}},
      {"full_video", "full-video mode: only the video and the play controls", {"F"}},
      {"help", "this help: every action and its keys", {"F1", "Shift+/"}},
      {"toggle_arrow_chain", "show / hide the chain of past cursor arrows", {"C"}},
  };
  return actions;
}

const std::vector<KeyChord>& KeyMap::chords(const std::string& action) const {
  static const std::vector<KeyChord> none;
  auto it = bindings.find(action);
  return it == bindings.end() ? none : it->second;
}

KeyMap default_keymap() {
  KeyMap map;
  for (const KeyAction& action : key_actions()) {
    for (const char* text : action.default_chords) {
      KeyChord chord;
      std::string error;
      if (parse_chord(text, chord, error)) map.bindings[action.id].push_back(chord);
    }
  }
  return map;
}

std::filesystem::path default_keymap_path() { return config_dir() / "keys.json"; }

KeyMap load_keymap(const std::filesystem::path& file) {
  KeyMap map = default_keymap();
  std::ifstream in(file);
  if (!in) return map;  // no file: the defaults
  std::string name = file.string();  // problems name the whole path: the user may not know which file was read
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    map.problems.push_back(file.string() + ": not a JSON object; using the default keys");
    return map;
  }
  auto bindings = document.find("bindings");
  if (bindings == document.end()) return map;
  if (!bindings->is_object()) {
    map.problems.push_back(name + ": \"bindings\" must be an object of action -> key or [keys]");
    return map;
  }
  for (const auto& item : bindings->items()) {
    // Plain names, not a structured binding: clang 14 cannot capture those in the lambda.
    const std::string& action_id = item.key();
    const nlohmann::json& value = item.value();
    bool known = std::any_of(key_actions().begin(), key_actions().end(), [&](const KeyAction& a) { return action_id == a.id; });
    if (!known) {
      map.problems.push_back(name + ": unknown action \"" + action_id + "\" (see `idmscope keys`)");
      continue;
    }
    std::vector<nlohmann::json> items = value.is_array() ? value.get<std::vector<nlohmann::json>>() : std::vector<nlohmann::json>{value};
    std::vector<KeyChord> chords;
    for (const nlohmann::json& item : items) {
      KeyChord chord;
      std::string error;
      if (!item.is_string()) map.problems.push_back(name + ": " + action_id + ": keys are strings like \"Ctrl+O\"");
      else if (!parse_chord(item.get<std::string>(), chord, error)) map.problems.push_back(name + ": " + action_id + ": " + error);
      else chords.push_back(chord);
    }
    map.bindings[action_id] = chords;  // [] unbinds the action
  }
  // Conflicts: the earlier action in the table keeps the chord.
  std::map<std::string, std::string> owner;  // chord text -> action id
  for (const KeyAction& action : key_actions()) {
    std::vector<KeyChord>& chords = map.bindings[action.id];
    for (auto it = chords.begin(); it != chords.end();) {
      std::string chord = it->text();
      auto [at, inserted] = owner.emplace(chord, action.id);
      if (!inserted && at->second != action.id) {
        map.problems.push_back(name + ": " + chord + " is bound to both " + at->second + " and " + action.id + "; " + at->second +
                               " keeps it");
        it = chords.erase(it);
      } else {
        ++it;
      }
    }
  }
  return map;
}

}  // namespace idm
