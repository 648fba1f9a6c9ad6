#include "infer_panel.hpp"
#include "key_input.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "commands.hpp"
#include "config/infer_config.hpp"
#include "scoring/profile.hpp"

namespace idm::gui {

namespace {

constexpr const char* kInferBackends[] = {"baseline", "openai", "command"};

// "prog arg1 arg2" -> argument vector (split on spaces; quotes are not interpreted).
nlohmann::json split_command(const std::string& text) {
  nlohmann::json argv = nlohmann::json::array();
  size_t position = 0;
  while (position < text.size()) {
    size_t start = text.find_first_not_of(' ', position);
    if (start == std::string::npos) break;
    size_t end = text.find(' ', start);
    argv.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    position = end == std::string::npos ? text.size() : end;
  }
  return argv;
}

bool running(const InferUi& ui) { return (ui.run && !ui.snapshot.finished) || ui.starting.valid(); }

// "gui-<backend>" follows the backend until the user types a name of their own.
void follow_run_name(InferUi& ui, int previous_backend) {
  if (std::string(ui.run_name) == std::string("gui-") + kInferBackends[previous_backend]) {
    std::snprintf(ui.run_name, sizeof ui.run_name, "gui-%s", kInferBackends[ui.backend]);
  }
}

int default_concurrency(const std::string& backend) { return backend == "openai" ? 4 : backend == "baseline" ? 2 : 1; }

template <size_t N>
void copy_text(char (&field)[N], const std::string& text) {
  std::snprintf(field, N, "%s", text.c_str());
}

// One key of a config section into a field; a wrong type is reported, not guessed at.
template <size_t N>
void take_string(const nlohmann::json& section, const char* backend, const char* key, char (&field)[N], std::vector<std::string>& problems) {
  if (!section.contains(key)) return;
  if (section[key].is_string()) copy_text(field, section[key].get<std::string>());
  else problems.push_back(std::string("$.") + backend + "." + key + " is not a string");
}

template <typename Number>
void take_number(const nlohmann::json& section, const char* backend, const char* key, Number& field, std::vector<std::string>& problems) {
  if (!section.contains(key)) return;
  if (section[key].is_number()) field = section[key].get<Number>();
  else problems.push_back(std::string("$.") + backend + "." + key + " is not a number");
}

void take_frames(const nlohmann::json& section, const char* backend, InferUi& ui, std::vector<std::string>& problems) {
  if (!section.contains("frames")) return;
  const nlohmann::json& frames = section["frames"];
  if (!frames.is_object()) {
    problems.push_back(std::string("$.") + backend + ".frames is not an object");
    return;
  }
  if (frames.contains("burn_labels") && frames["burn_labels"].is_boolean()) ui.burn_labels = frames["burn_labels"].get<bool>();
  take_number(frames, (std::string(backend) + ".frames").c_str(), "max_edge_px", ui.max_edge_px, problems);
}

// Frame settings are saved per backend (the CLI reads them from the backend it runs): the
// chosen backend's, else the defaults.
void apply_backend_frames(InferUi& ui, const nlohmann::json& section, std::vector<std::string>& problems) {
  ui.burn_labels = true;
  ui.max_edge_px = -1;
  take_frames(section, kInferBackends[ui.backend], ui, problems);
}

// The section's concurrency, else the CLI's default for that backend.
int section_concurrency(const nlohmann::json& section, const std::string& backend) {
  if (section.contains("concurrency") && section["concurrency"].is_number_integer()) {
    return std::clamp(section["concurrency"].get<int>(), 1, 32);
  }
  return default_concurrency(backend);
}

// Reads the prompt file when its path changed; an empty path means the built-in prompt.
void check_prompt(InferUi& ui) {
  if (ui.prompt_checked_path == ui.prompt_file) return;
  ui.prompt_checked_path = ui.prompt_file;
  ui.prompt_text.clear();
  ui.prompt_problem.clear();
  std::filesystem::path path = ui.prompt_file[0] ? std::filesystem::path(ui.prompt_file) : assets_dir() / "prompts" / "idm-window.txt";
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty()) {
    std::error_code code;
    ui.prompt_problem = path.string() + (std::filesystem::exists(path, code) ? ": cannot read it, or it is empty" : ": no such file");
    return;
  }
  ui.prompt_text = text.str();
}

// The settings the window would save as defaults for the chosen backend (null: remove).
nlohmann::json section_from_fields(const InferUi& ui) {
  std::string backend = kInferBackends[ui.backend];
  auto text_or_null = [](const char* text) { return text[0] ? nlohmann::json(text) : nlohmann::json(nullptr); };
  nlohmann::json section{{"concurrency", ui.concurrency}};
  nlohmann::json frames{{"burn_labels", ui.burn_labels}};
  frames["max_edge_px"] = ui.max_edge_px >= 0 ? nlohmann::json(ui.max_edge_px) : nlohmann::json(nullptr);
  section["frames"] = frames;
  if (backend == "openai") {
    section["api_url"] = text_or_null(ui.api_url);
    section["model"] = text_or_null(ui.model);
    section["api_key_env"] = text_or_null(ui.api_key_env);
    section["prompt_file"] = ui.prompt_file[0] ? nlohmann::json(std::filesystem::absolute(ui.prompt_file).string()) : nlohmann::json(nullptr);
    section["temperature"] = ui.temperature;
    section["max_tokens"] = ui.max_tokens;
  }
  if (backend == "command") section["command"] = ui.command[0] ? split_command(ui.command) : nlohmann::json(nullptr);
  return section;
}

int progress_signature(const infer::InferRunSnapshot& snapshot) {
  int total = 0;
  for (const auto& clip : snapshot.clips) total += clip.windows_done + 100 * static_cast<int>(clip.status);
  return total + (snapshot.finished ? 1000000 : 0);
}

ImVec4 status_colour(infer::ClipRunStatus status) {
  switch (status) {
    case infer::ClipRunStatus::Complete: return ImVec4(0.45f, 0.85f, 0.45f, 1.0f);
    case infer::ClipRunStatus::Failed: return ImVec4(1.0f, 0.4f, 0.35f, 1.0f);
    case infer::ClipRunStatus::Cancelled: return ImVec4(0.9f, 0.75f, 0.3f, 1.0f);
    case infer::ClipRunStatus::Skipped: return ImVec4(0.6f, 0.6f, 0.65f, 1.0f);
    default: return ImVec4(0.85f, 0.85f, 0.9f, 1.0f);
  }
}

}  // namespace

void load_infer_defaults(InferUi& ui, bool reload) {
  if (ui.defaults_loaded && !reload) return;
  ui.defaults_loaded = true;
  std::filesystem::path path = default_infer_config_path();
  ui.config_path = path.string();
  std::vector<std::string> problems;
  bool found = false;
  for (const char* backend : kInferBackends) {
    nlohmann::json section;
    std::string error;
    if (!read_infer_config_section(path, false, backend, section, error)) {
      problems.push_back(error);
      break;
    }
    found = found || !section.empty();
    if (std::string(backend) == "openai") {
      take_string(section, backend, "api_url", ui.api_url, problems);
      take_string(section, backend, "model", ui.model, problems);
      take_string(section, backend, "api_key_env", ui.api_key_env, problems);
      take_string(section, backend, "prompt_file", ui.prompt_file, problems);
      take_number(section, backend, "temperature", ui.temperature, problems);
      take_number(section, backend, "max_tokens", ui.max_tokens, problems);
    }
    if (std::string(backend) == "command" && section.contains("command")) {
      std::string joined;
      if (section["command"].is_array()) {
        for (const auto& arg : section["command"]) joined += (joined.empty() ? "" : " ") + (arg.is_string() ? arg.get<std::string>() : arg.dump());
        copy_text(ui.command, joined);
      } else {
        problems.push_back("$.command.command is not an array [PROGRAM, ARGS...]");
      }
    }
  }
  std::string default_backend = read_infer_default_backend(path);
  int previous_backend = ui.backend;
  for (int i = 0; i < IM_ARRAYSIZE(kInferBackends); ++i) {
    if (default_backend == kInferBackends[i]) ui.backend = i;
  }
  follow_run_name(ui, previous_backend);
  nlohmann::json chosen;
  std::string ignored;
  read_infer_config_section(path, false, kInferBackends[ui.backend], chosen, ignored);
  ui.concurrency = section_concurrency(chosen, kInferBackends[ui.backend]);
  apply_backend_frames(ui, chosen, problems);
  ui.config_error = !problems.empty();
  if (!problems.empty()) {
    ui.config_message = problems.front().find(path.string()) == 0 ? problems.front() : path.string() + ": " + problems.front();
    if (problems.size() > 1) ui.config_message += " (and " + std::to_string(problems.size() - 1) + " more)";
  } else {
    ui.config_message = found ? "defaults from " + path.string() : "no " + path.string() + " yet: built-in defaults";
  }
}

void start_infer(AppState& state, InferUi& ui, const std::vector<int>& clip_indices) {
  load_infer_defaults(ui);  // Ctrl+R before the window was ever opened uses infer.json too
  ui.window_open = true;
  ui.start_error.clear();
  if (state.dataset_path.empty() || clip_indices.empty()) {
    ui.start_error = "open a dataset and select a clip first";
    return;
  }
  for (int index : clip_indices) {
    if (index < 0 || static_cast<size_t>(index) >= state.dataset.clips.size()) {
      ui.start_error = "clip " + std::to_string(index) + " is not in " + state.dataset_path + " (was the dataset changed?)";
      return;
    }
  }
  if (running(ui)) {
    ui.start_error = "a run is still going: cancel it first";
    return;
  }
  std::string backend = kInferBackends[ui.backend];
  nlohmann::json config{{"name", backend}, {"concurrency", ui.concurrency}};
  if (backend == "openai") {
    if (!ui.api_url[0] || !ui.model[0]) {
      ui.start_error = "the openai backend needs an API URL and a model id";
      return;
    }
    config["api_url"] = ui.api_url;
    config["model"] = ui.model;
    if (ui.api_key_env[0]) {
      const char* key = std::getenv(ui.api_key_env);
      if (!key || !*key) {  // checked here so a typo fails before any worker starts
        ui.start_error = std::string("the API key variable ") + ui.api_key_env + " is not set in the viewer's environment";
        return;
      }
      config["api_key_env"] = ui.api_key_env;
    }
    ui.prompt_checked_path = "\x01";  // read it again: it may have been fixed since
    check_prompt(ui);
    if (!ui.prompt_problem.empty()) {
      ui.start_error = "prompt file " + ui.prompt_problem;
      return;
    }
    if (ui.prompt_file[0]) config["prompt_file"] = std::filesystem::absolute(ui.prompt_file).string();
    config["temperature"] = ui.temperature;
    config["max_tokens"] = ui.max_tokens;
  }
  if (backend == "command") {
    config["command"] = split_command(ui.command);
    if (config["command"].empty()) {
      ui.start_error = "the command backend needs a program to run";
      return;
    }
  }
  infer::InferRunOptions options;
  options.dataset_root = state.dataset.root;
  for (int index : clip_indices) {
    const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(index)];
    options.clips.push_back({clip.key, clip.video_path});
  }
  options.run_name = ui.run_name;
  options.backend = config;
  if (!ui.burn_labels) options.frames["burn_labels"] = false;
  if (ui.max_edge_px >= 0) options.frames["max_edge_px"] = ui.max_edge_px;
  options.windows = state.profile.windows.value_or(WindowSpec{});
  options.profile_name = state.profile.name;
  options.worker.argv = {infer::default_worker_path().string()};
  // Decoding and the baseline can use every core; the viewer (which may render on the CPU,
  // llvmpipe) must still get its frames: the worker yields to it.
  options.worker.nice = 19;
  options.max_clips_in_flight = std::max(2, (ui.concurrency + 3) / 4 + 1);
  auto run = std::make_unique<infer::InferRun>(options);
  // Opening the store writes run.json: not on the UI thread. poll_infer adopts the run.
  ui.starting_clips = clip_indices;
  ui.starting = std::async(std::launch::async, [run = std::move(run)]() mutable {
    InferUi::StartedRun started;
    started.ok = run->start(started.error);
    started.run = std::move(run);
    return started;
  });
}

namespace {

// The run started by start_infer is back: it replaces the previous one, or says why it could not start.
void adopt_started_run(AppState& state, InferUi& ui) {
  InferUi::StartedRun started = ui.starting.get();
  std::vector<int> clip_indices = std::move(ui.starting_clips);
  if (!started.ok) {
    ui.start_error = started.error;
    return;
  }
  if (ui.run) ui.retired.push_back(std::move(ui.run));
  ui.run = std::move(started.run);
  ui.run_clips = clip_indices;
  ui.run_dataset_path = state.dataset_path;
  ui.snapshot = ui.run->snapshot();
  ui.reloaded_progress = -1;
  ui.shown_log_clip = -1;
  ui.last_poll_s = -1.0;
  ui.slowest_frame_ms = 0.0;
  ui.slowest_poll_ms = 0.0;
  ui.slowest_frame_cpu_ms = 0.0;
  ui.reported_finish = false;
  notify(state, NoticeCode::ModelRun, Severity::Info, state.dataset_path,
         "model run " + std::string(ui.run_name) + " started on " + std::to_string(clip_indices.size()) + " clip(s)");
}

}  // namespace

static void poll_infer_once(AppState& state, InferUi& ui, double now_s);

void poll_infer(AppState& state, InferUi& ui, double now_s) {
  auto started = std::chrono::steady_clock::now();
  poll_infer_once(state, ui, now_s);
  if (ui.run && !ui.reported_finish) {
    ui.slowest_poll_ms = std::max(ui.slowest_poll_ms, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
  }
}

static void poll_infer_once(AppState& state, InferUi& ui, double now_s) {
  // Runs that were cancelled or replaced: joined once their thread is done (never blocks).
  ui.retired.erase(std::remove_if(ui.retired.begin(), ui.retired.end(), [](const auto& run) { return run->finished(); }),
                   ui.retired.end());
  if (ui.starting.valid() && ui.starting.wait_for(std::chrono::seconds(0)) == std::future_status::ready) adopt_started_run(state, ui);
  if (!ui.run) return;
  ui.snapshot = ui.run->snapshot();
  if (!ui.reported_finish && ui.last_poll_s >= 0) ui.slowest_frame_ms = std::max(ui.slowest_frame_ms, 1000.0 * (now_s - ui.last_poll_s));
  ui.last_poll_s = now_s;
  if (ui.snapshot.finished && !ui.reported_finish) {
    ui.reported_finish = true;
    notify(state, NoticeCode::ModelRun, ui.snapshot.failed > 0 ? Severity::Warning : Severity::Info, ui.run_dataset_path,
           "model run " + std::string(ui.run_name) + " finished: " + std::to_string(ui.snapshot.complete) + " complete, " +
               std::to_string(ui.snapshot.skipped) + " skipped, " + std::to_string(ui.snapshot.failed) + " failed, " +
               std::to_string(ui.snapshot.cancelled) + " cancelled");
    std::fprintf(stderr,
                 "idmscope: model run %s finished (%d complete, %d skipped, %d failed, %d cancelled); slowest UI frame during the run: "
                 "%.1f ms wall, %.1f ms main-thread CPU, of which at most %.1f ms in this panel's per-frame work\n",
                 ui.run_name, ui.snapshot.complete, ui.snapshot.skipped, ui.snapshot.failed, ui.snapshot.cancelled, ui.slowest_frame_ms,
                 ui.slowest_frame_cpu_ms, ui.slowest_poll_ms);
  }
  if (ui.reload.valid() && ui.reload.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    PredictionSet set = ui.reload.get();
    if (state.dataset_path == ui.run_dataset_path) set_source(state, std::move(set));
  }
  int progress = progress_signature(ui.snapshot);
  bool due = now_s - ui.last_reload_s > 0.5 || ui.snapshot.finished;
  if (progress != ui.reloaded_progress && due && !ui.reload.valid() && state.dataset_path == ui.run_dataset_path) {
    ui.reloaded_progress = progress;
    ui.last_reload_s = now_s;
    std::filesystem::path store = ui.snapshot.store_dir;
    ui.reload = std::async(std::launch::async, [store] {
      Dataset none;  // a store is a per-clip folder: the loader does not look at the dataset
      PredictionSet set;
      std::string error;
      if (!load_prediction_source(store, none, set, error)) set.warnings.push_back(error);
      return set;
    });
  }
}

void draw_infer_menu(AppState& state, InferUi& ui, const ClipChoice& choice) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("Model")) {
    bool has_clip = state.view.clip >= 0;
    if (ImGui::MenuItem("Run on this clip", "Ctrl+R", false, has_clip && !running(ui))) start_infer(state, ui, {state.view.clip});
    std::string marked = "Run on the " + std::to_string(choice.marked.size()) + " marked clip" + (choice.marked.size() == 1 ? "" : "s") +
                         " (Ctrl/Shift+click in the browser)";
    if (ImGui::MenuItem(marked.c_str(), nullptr, false, !choice.marked.empty() && !running(ui))) start_infer(state, ui, choice.marked);
    std::string shown = "Run on the " + std::to_string(choice.shown.size()) + " clips shown in the browser";
    if (ImGui::MenuItem(shown.c_str(), nullptr, false, !choice.shown.empty() && !running(ui))) start_infer(state, ui, choice.shown);
    if (ImGui::MenuItem("Run on all clips", nullptr, false, !state.dataset.clips.empty() && !running(ui))) {
      std::vector<int> all(state.dataset.clips.size());
      for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
      start_infer(state, ui, all);
    }
    if (ImGui::MenuItem("Cancel the run", "Ctrl+Shift+R", false, running(ui))) ui.run->cancel();
    ImGui::Separator();
    ImGui::MenuItem("Show the run window", nullptr, &ui.window_open);
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

void handle_infer_keys(AppState& state, InferUi& ui, const KeyMap& keys) {
  if (!keyboard_free()) return;
  if (action_pressed(keys, "cancel_run", false)) {
    if (running(ui)) ui.run->cancel();
  } else if (action_pressed(keys, "run_model", false) && state.view.clip >= 0) {
    start_infer(state, ui, {state.view.clip});
  }
}

void note_frame_cpu(InferUi& ui, double cpu_ms) {
  if (ui.run && !ui.reported_finish) ui.slowest_frame_cpu_ms = std::max(ui.slowest_frame_cpu_ms, cpu_ms);
}

bool infer_busy(const InferUi& ui) { return running(ui) || ui.reload.valid() || ui.saving_defaults.valid(); }

namespace {

void draw_prompt_field(InferUi& ui) {
  ImGui::SetNextItemWidth(-150);
  ImGui::InputTextWithHint("##prompt", "built-in: assets/prompts/idm-window.txt", ui.prompt_file, sizeof ui.prompt_file);
  ImGui::SameLine();
  if (ImGui::Button("Browse...")) {
    std::filesystem::path start = ui.prompt_file[0] ? std::filesystem::path(ui.prompt_file).parent_path() : assets_dir() / "prompts";
    ui.prompt_picker.open("Prompt template", FolderPicker::Mode::File, start);
  }
  ImGui::SameLine();
  ImGui::TextUnformatted("prompt");
  std::string picked;
  if (ui.prompt_picker.draw(picked)) copy_text(ui.prompt_file, picked);
  check_prompt(ui);
  if (!ui.prompt_problem.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.4f, 0.35f, 1.0f), "%s", ui.prompt_problem.c_str());
    return;
  }
  ImGui::TextDisabled("%zu bytes, %d lines; {placeholders} are filled per window", ui.prompt_text.size(),
                      static_cast<int>(std::count(ui.prompt_text.begin(), ui.prompt_text.end(), '\n')));
  if (ImGui::TreeNode("preview")) {
    ImGui::BeginChild("prompt_preview", ImVec2(0, 140), true);
    ImGui::TextWrapped("%s", ui.prompt_text.c_str());
    ImGui::EndChild();
    ImGui::TreePop();
  }
}

void draw_settings(InferUi& ui, bool busy) {
  ImGui::BeginDisabled(busy);
  int previous_backend = ui.backend;
  ImGui::Combo("backend", &ui.backend, kInferBackends, IM_ARRAYSIZE(kInferBackends));
  if (ui.backend != previous_backend) {  // each backend keeps its own concurrency default
    follow_run_name(ui, previous_backend);
    nlohmann::json section;
    std::string ignored;
    read_infer_config_section(ui.config_path, false, kInferBackends[ui.backend], section, ignored);
    ui.concurrency = section_concurrency(section, kInferBackends[ui.backend]);
    std::vector<std::string> problems;
    apply_backend_frames(ui, section, problems);
  }
  ImGui::InputText("run name", ui.run_name, sizeof ui.run_name);
  if (ui.backend == 1) {
    ImGui::InputText("API URL (.../v1)", ui.api_url, sizeof ui.api_url);
    ImGui::InputText("model id", ui.model, sizeof ui.model);
    ImGui::InputText("API key env var", ui.api_key_env, sizeof ui.api_key_env);
    if (ui.api_key_env[0]) {
      const char* key = std::getenv(ui.api_key_env);
      if (!key || !*key) ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.3f, 1.0f), "%s is not set in the viewer's environment", ui.api_key_env);
    }
    draw_prompt_field(ui);
    ImGui::SliderFloat("temperature", &ui.temperature, 0.0f, 2.0f, "%.2f");
    ImGui::InputInt("max tokens", &ui.max_tokens, 64, 256);
    ui.max_tokens = std::clamp(ui.max_tokens, 16, 65536);
  }
  if (ui.backend == 2) ImGui::InputTextWithHint("command", "PROGRAM ARGS... (split on spaces)", ui.command, sizeof ui.command);
  ImGui::SliderInt("concurrency K", &ui.concurrency, 1, 32);
  ImGui::Checkbox("Fxx labels on frames", &ui.burn_labels);
  ImGui::SameLine();
  bool full_size = ui.max_edge_px < 0;
  if (ImGui::Checkbox("backend's frame size", &full_size)) ui.max_edge_px = full_size ? -1 : 1280;
  if (!full_size) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("max edge px", &ui.max_edge_px, 64, 256);
    ui.max_edge_px = std::clamp(ui.max_edge_px, 64, 8192);
  }
  ImGui::EndDisabled();
  if (ui.saving_defaults.valid() && ui.saving_defaults.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    std::string error = ui.saving_defaults.get();
    ui.config_error = !error.empty();
    ui.config_message = ui.config_error ? error
                                        : std::string("saved the ") + kInferBackends[ui.backend] + " defaults (and Ctrl+R's backend) to " + ui.config_path;
  }
  ImGui::BeginDisabled(ui.saving_defaults.valid());
  if (ImGui::Button("Save as defaults")) {
    // Written on a thread of its own (atomic writes fsync): never inside a frame.
    ui.saving_defaults = std::async(std::launch::async, [path = ui.config_path, backend = std::string(kInferBackends[ui.backend]),
                                                         section = section_from_fields(ui)] {
      std::string error;
      if (write_infer_config_section(path, backend, section, error) && write_infer_default_backend(path, backend, error)) return std::string();
      return error.empty() ? "cannot write " + path : error;
    });
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Reload defaults")) load_infer_defaults(ui, true);
  if (ui.config_error) ImGui::TextColored(ImVec4(1.0f, 0.4f, 0.35f, 1.0f), "%s", ui.config_message.c_str());
  else ImGui::TextDisabled("%s", ui.config_message.c_str());
  ImGui::TextDisabled("runs are stored in DATASET/.idmscope/predictions/RUN; finished clips are skipped");
}

}  // namespace

void draw_infer_window(AppState& state, InferUi& ui, const ClipChoice& choice) {
  if (!ui.window_open) return;
  load_infer_defaults(ui);
  ImGui::SetNextWindowSize(ImVec2(600, 560), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetMainViewport()->WorkPos.x + 80, ImGui::GetMainViewport()->WorkPos.y + 80), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Run model", &ui.window_open)) {
    ImGui::End();
    return;
  }
  bool busy = running(ui);
  if (ImGui::CollapsingHeader("Settings", busy ? 0 : ImGuiTreeNodeFlags_DefaultOpen)) {
    draw_settings(ui, busy);
  }
  // Where to run: the same choices as the Model menu, so the window works on its own.
  ImGui::BeginDisabled(busy || state.dataset.clips.empty());
  ImGui::TextUnformatted("Run on:");
  ImGui::SameLine();
  ImGui::BeginDisabled(state.view.clip < 0);
  if (ImGui::Button("this clip")) start_infer(state, ui, {state.view.clip});
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(choice.marked.empty());
  if (ImGui::Button(("marked (" + std::to_string(choice.marked.size()) + ")").c_str())) start_infer(state, ui, choice.marked);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Ctrl+click or Shift+click clips in the browser to mark them");
  ImGui::SameLine();
  if (ImGui::Button(("shown (" + std::to_string(choice.shown.size()) + ")").c_str())) start_infer(state, ui, choice.shown);
  ImGui::SameLine();
  if (ImGui::Button(("all (" + std::to_string(state.dataset.clips.size()) + ")").c_str())) {
    std::vector<int> all(state.dataset.clips.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    start_infer(state, ui, all);
  }
  ImGui::EndDisabled();
  if (!ui.start_error.empty()) ImGui::TextColored(ImVec4(1.0f, 0.4f, 0.35f, 1.0f), "%s", ui.start_error.c_str());
  if (!ui.run) {
    ImGui::TextDisabled("Ctrl+R runs the model on the current clip; the Model menu on more.");
    ImGui::End();
    return;
  }
  const infer::InferRunSnapshot& snapshot = ui.snapshot;
  int total = static_cast<int>(snapshot.clips.size());
  int done = snapshot.complete + snapshot.failed + snapshot.skipped + snapshot.cancelled;
  ImGui::Text("%s: %d/%d clips  (%d complete, %d skipped, %d failed, %d cancelled)", snapshot.finished ? "finished" : "running", done, total,
              snapshot.complete, snapshot.skipped, snapshot.failed, snapshot.cancelled);
  if (snapshot.bad_answers > 0) {
    ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.2f, 1.0f), "bad answers: %d windows in %d clips were empty or had no JSON array (scored as [])",
                       snapshot.bad_answers, snapshot.clips_with_bad_answers);
  }
  if (busy && ImGui::Button("Cancel (Ctrl+Shift+R)")) ui.run->cancel();
  if (!busy && (snapshot.failed > 0 || snapshot.cancelled > 0 || !snapshot.failure.empty())) {
    bool same_dataset = ui.run_dataset_path == state.dataset_path;
    ImGui::BeginDisabled(!same_dataset);  // the run's clip indices belong to its own dataset
    if (ImGui::Button("Restart (runs what is missing)")) start_infer(state, ui, std::vector<int>(ui.run_clips));
    ImGui::EndDisabled();
    if (!same_dataset && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("the run was on %s", ui.run_dataset_path.c_str());
  }
  if (!snapshot.failure.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.4f, 0.35f, 1.0f), "%s", snapshot.failure.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("worker log")) ui.shown_log_clip = ui.shown_log_clip == -2 ? -1 : -2;
  }
  ImGui::BeginChild("clips", ImVec2(0, ui.shown_log_clip == -1 ? 0 : ImGui::GetContentRegionAvail().y * 0.5f), true);
  for (int i = 0; i < total; ++i) {
    const infer::ClipProgress& clip = snapshot.clips[static_cast<size_t>(i)];
    ImGui::PushID(i);
    float fraction = clip.status == infer::ClipRunStatus::Complete || clip.status == infer::ClipRunStatus::Skipped ? 1.0f
                     : clip.windows_total > 0 ? static_cast<float>(clip.windows_done) / clip.windows_total : 0.0f;
    char overlay[64];
    std::snprintf(overlay, sizeof overlay, "%s %d/%d", clip.status == infer::ClipRunStatus::Running ? clip.stage.c_str() : "", clip.windows_done,
                  clip.windows_total);
    ImGui::ProgressBar(fraction, ImVec2(160, 0), overlay);
    ImGui::SameLine();
    ImGui::TextColored(status_colour(clip.status), "%-9s", infer::clip_run_status_name(clip.status));
    if (clip.bad_answers > 0) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.2f, 1.0f), "%d bad", clip.bad_answers);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%d model answer(s) empty or without a JSON array, scored as []", clip.bad_answers);
    }
    if (!clip.error.empty()) {  // before the key, which may be too long to leave room
      ImGui::SameLine();
      if (ImGui::SmallButton("error + log")) ui.shown_log_clip = ui.shown_log_clip == i ? -1 : i;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", clip.error.c_str());
    }
    ImGui::SameLine();
    // The clip's own name; the recording folder in front of it is the same for many clips.
    ImGui::TextUnformatted(std::filesystem::path(clip.key).filename().string().c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", clip.key.c_str());
    ImGui::PopID();
  }
  ImGui::EndChild();
  if (ui.shown_log_clip != -1) {
    ImGui::BeginChild("log", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
    if (ui.shown_log_clip >= 0 && ui.shown_log_clip < total) {
      ImGui::TextColored(ImVec4(1.0f, 0.4f, 0.35f, 1.0f), "%s", snapshot.clips[static_cast<size_t>(ui.shown_log_clip)].error.c_str());
    }
    ImGui::TextDisabled("worker log (stderr, last %zu lines):", snapshot.log.size());
    for (const std::string& line : snapshot.log) ImGui::TextUnformatted(line.c_str());
    ImGui::EndChild();
  }
  ImGui::End();
}

}  // namespace idm::gui
