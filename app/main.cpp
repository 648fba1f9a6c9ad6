// idmscope: one executable, one subcommand per job.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "cli_args.hpp"
#include "cli_commands.hpp"

namespace {

void print_usage() {
  std::printf(
      "idmscope: view, verify and score inverse-dynamics-model evaluations\n\n"
      "usage: idmscope [DATASET] [--predictions SRC]... [--clip KEY] [--frame N]   (the viewer)\n"
      "       idmscope <command> [options]   (each command takes --help)\n\n"
      "commands:\n"
      "  score    score predictions: a reference results file, or a dataset with a profile\n"
      "  check    integrity report of a dataset (exit 0 clean, 1 problems, 2 cannot run)\n"
      "  summary  print a dataset's clips, GT counts and labels (stands in for the GUI for now)\n"
      "  bench    benchmarks (bench score --results FILE)\n"
      "  probe    a video's stream info, grid length and grid map (grid frame -> source frame)\n"
      "  frames   decode a video's grid frames to PNGs (--out DIR) or discard them (--null)\n"
      "  synth    write the built-in sample dataset (rendered videos, logs, labels, predictions)\n"
      "  keys     the viewer's key bindings after keys.json, with any conflicts\n"
      "  export   a clip with overlays as MP4/PNG, or the per-clip metrics as CSV/JSON\n"
      "  edit     label and edit one clip's GT from the command line (same code as the viewer's editor)\n"
      "  infer    run a model, a command or the baseline over clips in a background worker\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help"))) {
    print_usage();
    return 0;
  }
  std::string command = argc >= 2 ? argv[1] : "view";
  try {
    // Command names win over folders of the same name (a `bench/` folder in the working
    // directory must not turn `idmscope bench` into the viewer).
    using Runner = int (*)(int, char**);
    static const std::pair<const char*, Runner> commands[] = {
        {"score", idm::cli::run_score},   {"check", idm::cli::run_check}, {"bench", idm::cli::run_bench},
        {"summary", idm::cli::run_summary}, {"probe", idm::cli::run_probe}, {"frames", idm::cli::run_frames},
        {"synth", idm::cli::run_synth},   {"keys", idm::cli::run_keys},   {"export", idm::cli::run_export},
        {"edit", idm::cli::run_edit},     {"infer", idm::cli::run_infer}};
    for (const auto& [name, run] : commands) {
      if (command == name) return run(argc, argv);
    }
    if (command == "view") return idm::cli::run_view(argc, argv, 2);
    // `idmscope` and `idmscope DATASET [options]` open the viewer.
    std::error_code code;
    if (argc < 2 || command.starts_with("--") || std::filesystem::is_directory(command, code)) return idm::cli::run_view(argc, argv, 1);
  } catch (const idm::cli::UsageError& error) {
    std::fprintf(stderr, "idmscope %s: %s\n", command.c_str(), error.message.c_str());
    return 2;
  }
  std::fprintf(stderr, "idmscope: unknown command '%s' (see idmscope --help)\n", command.c_str());
  return 2;
}
