#include "infer_panel.hpp"
#include "key_input.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "commands.hpp"

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

bool running(const InferUi& ui) { return ui.run && !ui.snapshot.finished; }

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

void start_infer(AppState& state, InferUi& ui, const std::vector<int>& clip_indices) {
  ui.window_open = true;
  ui.start_error.clear();
  if (state.dataset_path.empty() || clip_indices.empty()) {
    ui.start_error = "open a dataset and select a clip first";
    return;
  }
  if (running(ui)) {
    ui.start_error = "a run is still going: cancel it first";
    return;
  }
  std::string backend = kInferBackends[ui.backend];
  nlohmann::json config{{"name", backend}, {"concurrency", ui.concurrency}};
  if (backend == "openai") {
    config["api_url"] = ui.api_url;
    config["model"] = ui.model;
    if (ui.api_key_env[0]) config["api_key_env"] = ui.api_key_env;
  }
  if (backend == "command") config["command"] = split_command(ui.command);
  infer::InferRunOptions options;
  options.dataset_root = state.dataset.root;
  for (int index : clip_indices) {
    const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(index)];
    options.clips.push_back({clip.key, clip.video_path});
  }
  options.run_name = ui.run_name;
  options.backend = config;
  options.windows = state.profile.windows.value_or(WindowSpec{});
  options.profile_name = state.profile.name;
  options.worker.argv = {infer::default_worker_path().string()};
  // Decoding and the baseline can use every core; the viewer (which may render on the CPU,
  // llvmpipe) must still get its frames: the worker yields to it.
  options.worker.nice = 19;
  options.max_clips_in_flight = std::max(2, (ui.concurrency + 3) / 4 + 1);
  auto run = std::make_unique<infer::InferRun>(options);
  std::string error;
  if (!run->start(error)) {  // opens the store: a few small files
    ui.start_error = error;
    return;
  }
  if (ui.run) ui.retired.push_back(std::move(ui.run));
  ui.run = std::move(run);
  ui.run_clips = clip_indices;
  ui.run_dataset_path = state.dataset_path;
  ui.snapshot = ui.run->snapshot();
  ui.reloaded_progress = -1;
  ui.shown_log_clip = -1;
  ui.last_poll_s = -1.0;
  ui.slowest_frame_ms = 0.0;
  ui.slowest_poll_ms = 0.0;
  ui.reported_finish = false;
  state.status = "model run " + std::string(ui.run_name) + " started on " + std::to_string(clip_indices.size()) + " clip(s)";
}

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
  if (!ui.run) return;
  ui.snapshot = ui.run->snapshot();
  if (!ui.reported_finish && ui.last_poll_s >= 0) ui.slowest_frame_ms = std::max(ui.slowest_frame_ms, 1000.0 * (now_s - ui.last_poll_s));
  ui.last_poll_s = now_s;
  if (ui.snapshot.finished && !ui.reported_finish) {
    ui.reported_finish = true;
    std::fprintf(stderr,
                 "idmscope: model run %s finished (%d complete, %d skipped, %d failed, %d cancelled); slowest UI frame during the run: "
                 "%.1f ms, of which at most %.1f ms in this panel's per-frame work\n",
                 ui.run_name, ui.snapshot.complete, ui.snapshot.skipped, ui.snapshot.failed, ui.snapshot.cancelled, ui.slowest_frame_ms,
                 ui.slowest_poll_ms);
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

void draw_infer_menu(AppState& state, InferUi& ui, const std::vector<int>& browser_order) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("Model")) {
    bool has_clip = state.view.clip >= 0;
    if (ImGui::MenuItem("Run on this clip", "Ctrl+R", false, has_clip && !running(ui))) start_infer(state, ui, {state.view.clip});
    if (ImGui::MenuItem("Run on the clips shown in the browser", nullptr, false, !browser_order.empty() && !running(ui))) {
      start_infer(state, ui, browser_order);
    }
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
  if (ImGui::GetIO().WantTextInput) return;
  if (action_pressed(keys, "cancel_run", false)) {
    if (running(ui)) ui.run->cancel();
  } else if (action_pressed(keys, "run_model", false) && state.view.clip >= 0) {
    start_infer(state, ui, {state.view.clip});
  }
}

bool infer_busy(const InferUi& ui) { return running(ui) || ui.reload.valid(); }

void draw_infer_window(AppState& state, InferUi& ui) {
  if (!ui.window_open) return;
  ImGui::SetNextWindowSize(ImVec2(560, 420), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetMainViewport()->WorkPos.x + 80, ImGui::GetMainViewport()->WorkPos.y + 80), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Run model", &ui.window_open)) {
    ImGui::End();
    return;
  }
  bool busy = running(ui);
  if (ImGui::CollapsingHeader("Settings", busy ? 0 : ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::BeginDisabled(busy);
    ImGui::Combo("backend", &ui.backend, kInferBackends, IM_ARRAYSIZE(kInferBackends));
    ImGui::InputText("run name", ui.run_name, sizeof ui.run_name);
    if (ui.backend == 1) {
      ImGui::InputText("API URL (…/v1)", ui.api_url, sizeof ui.api_url);
      ImGui::InputText("model id", ui.model, sizeof ui.model);
      ImGui::InputText("API key env var", ui.api_key_env, sizeof ui.api_key_env);
    }
    if (ui.backend == 2) ImGui::InputText("command", ui.command, sizeof ui.command);
    ImGui::SliderInt("concurrency K", &ui.concurrency, 1, 32);
    ImGui::EndDisabled();
    ImGui::TextDisabled("runs are stored in DATASET/.idmscope/predictions/RUN; finished clips are skipped");
  }
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
  if (busy && ImGui::Button("Cancel (Ctrl+Shift+R)")) ui.run->cancel();
  if (!busy && (snapshot.failed > 0 || snapshot.cancelled > 0 || !snapshot.failure.empty())) {
    if (ImGui::Button("Restart (runs what is missing)")) start_infer(state, ui, std::vector<int>(ui.run_clips));
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
    if (!clip.error.empty()) {  // before the key, which may be too long to leave room
      ImGui::SameLine();
      if (ImGui::SmallButton("error + log")) ui.shown_log_clip = ui.shown_log_clip == i ? -1 : i;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", clip.error.c_str());
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(clip.key.c_str());
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
