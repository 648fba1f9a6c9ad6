// `idmscope keys`: the viewer's key bindings after keys.json, and any problems with it.
#include <cstdio>
#include <string>

#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "config/keymap.hpp"
#include "gui/key_input.hpp"

namespace idm::cli {

int run_keys(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::printf(
        "usage: idmscope keys [--config FILE]\n"
        "  Prints every viewer action with its keys: the defaults, replaced per action by the\n"
        "  \"bindings\" of FILE (default $XDG_CONFIG_HOME/idmscope/keys.json), e.g.\n"
        "    {\"bindings\": {\"next_frame\": [\"Right\", \"D\"], \"play_pause\": \"Ctrl+P\", \"pause\": []}}\n"
        "  Modifiers: Ctrl, Shift, Alt. Exit 1 when the file has problems (each printed on stderr;\n"
        "  a chord on two actions stays with the one listed first).\n");
    return 0;
  }
  std::filesystem::path file = args.value("--config").value_or(default_keymap_path().string());
  args.finish();
  KeyMap map = load_keymap(file);
  std::printf("key bindings (%s)\n", file.string().c_str());
  int problems = 0;
  for (const KeyAction& action : key_actions()) {
    std::string keys;
    for (const KeyChord& chord : map.chords(action.id)) {
      keys += (keys.empty() ? "" : ", ") + chord.text();
      if (gui::glfw_key_code(chord.key) < 0) {  // the GUI could never see this key
        std::fprintf(stderr, "idmscope keys: %s: no key code for '%s'\n", action.id, chord.key.c_str());
        ++problems;
      }
    }
    std::printf("  %-24s %-22s %s\n", action.id, keys.empty() ? "(unbound)" : keys.c_str(), action.description);
  }
  for (const std::string& problem : map.problems) std::fprintf(stderr, "idmscope keys: %s\n", problem.c_str());
  return map.problems.empty() && problems == 0 ? 0 : 1;
}

}  // namespace idm::cli
