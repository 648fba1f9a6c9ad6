// `idmscope infer`: runs a model (or the baseline, or a user's program) over a dataset's clips
// in the background worker and fills a prediction store run; or imports a results file.
#include <fnmatch.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "config/infer_config.hpp"
#include "infer/infer_run.hpp"
#include "infer/import_run.hpp"
#include "dataset/dataset.hpp"
#include "scoring/profile.hpp"

namespace idm::cli {

namespace {

// Ctrl+C cancels the run (in-flight requests stop, finished clips stay in the store).
volatile sig_atomic_t g_interrupted = 0;
void on_interrupt(int) { g_interrupted = 1; }

const char* kInferHelp =
    "usage:\n"
    "  idmscope infer DATASET --backend openai|command|baseline|import --run NAME [--clips PATTERN]\n"
    "                 [--concurrency K] [--profile reference|protocol|FILE] [--max-edge PX] [--no-labels]\n"
    "    openai:  --api-url URL (base URL ending in /v1) --model ID [--api-key-env VARNAME]\n"
    "             [--prompt FILE] [--temperature T] [--max-tokens N] [--retries N] [--timeout SECONDS]\n"
    "             [--no-frame-text]   (images only, without a \"Frame Fxx:\" text part before each)\n"
    "    command: --command PROGRAM [--command-arg ARG]...   (frames as PNG files, request JSON on stdin)\n"
    "    import:  --from SRC   (a results file or a per-clip folder)\n"
    "  Fills DATASET/.idmscope/predictions/NAME/ (one JSON per clip + run.json); score it with\n"
    "  `idmscope score --dataset DATASET --predictions DATASET/.idmscope/predictions/NAME`.\n"
    "  A run is resumable: clips already complete are skipped and send no requests.\n"
    "  Defaults for missing model flags come from --config FILE, else\n"
    "  $XDG_CONFIG_HOME/idmscope/infer.json ({\"openai\": {\"api_url\", \"model\", \"api_key_env\", ...},\n"
    "  \"command\": {\"command\": [PROGRAM, ARGS...]}}). The API key is only ever read from the\n"
    "  environment variable; it is never written to disk or logs.\n";

bool clip_selected(const std::string& key, const std::optional<std::string>& pattern) {
  if (!pattern) return true;
  std::string name = std::filesystem::path(key).filename().string();
  return fnmatch(pattern->c_str(), key.c_str(), 0) == 0 || fnmatch(pattern->c_str(), name.c_str(), 0) == 0 ||
         key.find(*pattern) != std::string::npos;
}

void draw_progress(const infer::InferRunSnapshot& snapshot, bool tty, std::string& last_line) {
  int total = static_cast<int>(snapshot.clips.size());
  int done = snapshot.complete + snapshot.failed + snapshot.skipped + snapshot.cancelled;
  int windows_done = 0, windows_total = 0;
  for (const auto& clip : snapshot.clips) {
    windows_done += clip.windows_done;
    windows_total += clip.windows_total;
  }
  constexpr int kWidth = 30;
  int filled = total ? done * kWidth / total : kWidth;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  char line[256];
  std::snprintf(line, sizeof line, "[%s] %d/%d clips (%d skipped, %d failed)  windows %d/%d", bar.c_str(), done, total,
                snapshot.skipped, snapshot.failed, windows_done, windows_total);
  if (line == last_line) return;
  last_line = line;
  if (tty) std::fprintf(stderr, "\r%s", line);
  else std::fprintf(stderr, "%s\n", line);
}

}  // namespace

int run_infer(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kInferHelp, stdout);
    return 0;
  }
  auto backend_name = args.value("--backend");
  auto run_name = args.value("--run");
  auto pattern = args.value("--clips");
  auto config_path = args.value("--config");
  std::string profile_name = args.value("--profile").value_or("protocol");
  int concurrency = args.int_value("--concurrency", 0, 1, 256);
  int max_edge = args.int_value("--max-edge", -1, 0, 16384);
  bool no_labels = args.flag("--no-labels");
  bool no_frame_text = args.flag("--no-frame-text");
  auto api_url = args.value("--api-url");
  auto model = args.value("--model");
  auto api_key_env = args.value("--api-key-env");
  auto prompt = args.value("--prompt");
  auto temperature = args.value("--temperature");
  int max_tokens = args.int_value("--max-tokens", 0, 1, 1 << 20);
  int retries = args.int_value("--retries", -1, 0, 20);
  int timeout_s = args.int_value("--timeout", 0, 1, 3600);
  auto command = args.value("--command");
  std::vector<std::string> command_args = args.values("--command-arg");
  auto from = args.value("--from");
  auto worker = args.value("--worker");
  std::vector<std::string> positionals = args.positionals();
  args.finish();
  if (positionals.size() != 1) throw UsageError{"expected one DATASET folder (see --help)"};
  if (!backend_name) throw UsageError{"--backend openai|command|baseline|import is required"};
  if (!run_name) throw UsageError{"--run NAME is required"};
  const std::string& backend = *backend_name;
  if (backend != "openai" && backend != "command" && backend != "baseline" && backend != "import") {
    throw UsageError{"--backend: unknown backend '" + backend + "' (openai, command, baseline or import)"};
  }
  std::string error;
  if (!infer::valid_run_name(*run_name, error)) throw UsageError{"--run: " + error};

  Dataset dataset;
  if (!load_dataset(positionals[0], DatasetLoadOptions{false}, dataset, error)) {
    std::fprintf(stderr, "idmscope infer: %s\n", error.c_str());
    return 2;
  }
  std::vector<infer::InferRunClip> clips;
  for (const DatasetClip& clip : dataset.clips) {
    if (clip_selected(clip.key, pattern)) clips.push_back({clip.key, clip.video_path});
  }
  if (clips.empty()) {
    std::fprintf(stderr, "idmscope infer: no clips in %s match '%s'\n", positionals[0].c_str(), pattern.value_or("*").c_str());
    return 1;
  }

  if (backend == "import") {
    if (!from) throw UsageError{"--backend import needs --from SRC"};
    infer::ImportSummary summary;
    if (!infer::import_predictions(dataset, *from, *run_name, clips, summary, error)) {
      std::fprintf(stderr, "idmscope infer: %s\n", error.c_str());
      return 1;
    }
    for (const std::string& warning : summary.warnings) std::fprintf(stderr, "idmscope infer: %s\n", warning.c_str());
    std::fprintf(stderr, "imported %d clips (%d already complete, %d not in the source) into %s\n", summary.imported, summary.skipped,
                 summary.missing, summary.store_dir.c_str());
    return 0;
  }

  ScoringProfile profile;
  if (!load_profile(profile_name, profile, error)) throw UsageError{"--profile: " + error};

  // Backend settings: flags first, then the config file's section, then built-in defaults.
  nlohmann::json config;
  std::filesystem::path config_file = config_path ? std::filesystem::path(*config_path) : default_infer_config_path();
  if (!read_infer_config_section(config_file, config_path.has_value(), backend, config, error)) {
    std::fprintf(stderr, "idmscope infer: %s\n", error.c_str());
    return 2;
  }
  config["name"] = backend;
  // Frame settings saved with the backend's defaults (the viewer's run window writes them).
  nlohmann::json saved_frames = nlohmann::json::object();
  if (config.contains("frames")) {
    if (!config["frames"].is_object()) {
      std::fprintf(stderr, "idmscope infer: %s: $.%s.frames is not an object\n", config_file.string().c_str(), backend.c_str());
      return 2;
    }
    saved_frames = config["frames"];
    config.erase("frames");
  }
  if (backend == "openai") {
    if (api_url) config["api_url"] = *api_url;
    if (model) config["model"] = *model;
    if (api_key_env) config["api_key_env"] = *api_key_env;
    if (prompt) config["prompt_file"] = std::filesystem::absolute(*prompt).string();
    if (temperature) {
      char* end = nullptr;
      double value = std::strtod(temperature->c_str(), &end);
      if (end == temperature->c_str() || *end) throw UsageError{"--temperature: not a number: " + *temperature};
      config["temperature"] = value;
    }
    if (max_tokens > 0) config["max_tokens"] = max_tokens;
    if (no_frame_text) config["interleave_labels"] = false;
    if (retries >= 0) config["max_retries"] = retries;
    if (timeout_s > 0) config["timeout_s"] = timeout_s;
    if (!config.contains("api_url")) throw UsageError{"--api-url URL is required for openai (or set it in " + config_file.string() + ")"};
    if (!config.contains("model")) throw UsageError{"--model ID is required for openai (or set it in " + config_file.string() + ")"};
  }
  if (backend == "command") {
    if (command) {
      nlohmann::json argv_json = nlohmann::json::array({*command});
      for (const std::string& arg : command_args) argv_json.push_back(arg);
      config["command"] = argv_json;
    }
    if (!config.contains("command")) throw UsageError{"--command PROGRAM is required for the command backend"};
  }
  if (concurrency > 0) config["concurrency"] = concurrency;
  // Check the settings here, so a typo fails before any worker starts.
  if (backend == "openai" && config.contains("api_key_env") && config["api_key_env"].is_string()) {
    std::string variable = config["api_key_env"].get<std::string>();
    const char* key = std::getenv(variable.c_str());
    if (!key || !*key) {
      std::fprintf(stderr, "idmscope infer: the API key variable %s is not set in the environment\n", variable.c_str());
      return 2;
    }
  }

  infer::InferRunOptions options;
  options.dataset_root = dataset.root;
  options.clips = clips;
  options.run_name = *run_name;
  options.backend = config;
  options.frames = saved_frames;
  if (max_edge >= 0) options.frames["max_edge_px"] = max_edge;
  if (no_labels) options.frames["burn_labels"] = false;
  options.windows = profile.windows.value_or(WindowSpec{});
  options.profile_name = profile.name;
  options.worker.argv = {worker ? *worker : infer::default_worker_path().string()};
  int k = config.value("concurrency", backend == "openai" ? 4 : backend == "baseline" ? 2 : 1);
  // Enough clips in flight to keep K windows busy (each clip has ~4 windows), plus one decoding.
  options.max_clips_in_flight = std::max(2, (k + 3) / 4 + 1);

  infer::InferRun run(options);
  if (!run.start(error)) {
    std::fprintf(stderr, "idmscope infer: %s\n", error.c_str());
    return 2;
  }
  bool tty = ::isatty(STDERR_FILENO);
  std::string last_line;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  bool cancelled = false;
  while (!run.wait(100)) {
    if (g_interrupted && !cancelled) {
      cancelled = true;
      std::fprintf(stderr, "\nidmscope infer: cancelling...\n");
      run.cancel();
    }
    draw_progress(run.snapshot(), tty, last_line);
  }
  infer::InferRunSnapshot snapshot = run.snapshot();
  draw_progress(snapshot, tty, last_line);
  if (tty) std::fputc('\n', stderr);
  for (const auto& clip : snapshot.clips) {
    if (clip.status == infer::ClipRunStatus::Failed) std::fprintf(stderr, "idmscope infer: %s: %s\n", clip.key.c_str(), clip.error.c_str());
  }
  if (!snapshot.failure.empty()) {
    std::fprintf(stderr, "idmscope infer: %s\n", snapshot.failure.c_str());
    std::fprintf(stderr, "idmscope infer: the worker's last log lines:\n");
    size_t first = snapshot.log.size() > 20 ? snapshot.log.size() - 20 : 0;
    for (size_t i = first; i < snapshot.log.size(); ++i) std::fprintf(stderr, "  %s\n", snapshot.log[i].c_str());
  }
  std::printf("run %s: %d complete, %d skipped (already complete), %d failed, %d cancelled -> %s\n", run_name->c_str(), snapshot.complete,
              snapshot.skipped, snapshot.failed, snapshot.cancelled, snapshot.store_dir.c_str());
  if (cancelled) return 130;
  return snapshot.failed > 0 || !snapshot.failure.empty() ? 1 : 0;
}

}  // namespace idm::cli
