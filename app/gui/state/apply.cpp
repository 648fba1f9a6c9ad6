// The command handlers: the only code that changes AppState. Slow work is started here as a
// task and its result applied here when it comes back.
#include "state/apply.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "analysis/metrics_view.hpp"
#include "analysis/triage.hpp"
#include "commands.hpp"
#include "dataset/dataset_index.hpp"
#include "dataset/integrity.hpp"
#include "editor_actions.hpp"
#include "io/atomic_write.hpp"
#include "recent.hpp"
#include "state/dataset_fill.hpp"
#include "state/rsv_apply.hpp"

namespace idm::gui {

namespace {

std::vector<const DatasetScore*> source_scores(const AppState& state) {
  std::vector<const DatasetScore*> scores;
  for (const Source& source : state.sources) scores.push_back(&source.score);
  return scores;
}

// Lists the clips (with what the index knows of them) and reads the side files; the clips'
// logs are read afterwards in the background (state/dataset_fill.hpp).
void open_dataset(ViewerContext& context, const std::string& path) {
  context.state.loading_dataset = path;
  context.state.fill.opened_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  context.tasks.cancel_kind(TaskKind::OpenDataset);  // the newest open wins
  context.tasks.start(TaskKind::OpenDataset, "open " + path, [path](TaskContext& task) -> Command {
    if (looks_like_rsv_release(path)) return cmd::RsvOpen{path};  // the RSV mode (state/rsv_apply.cpp)
    cmd::DatasetLoaded loaded;
    loaded.path = path;
    auto dataset = std::make_shared<Dataset>();
    IndexUse use;
    if (!list_dataset_with_index(path, *dataset, loaded.error, &use, task.cancel_flag())) return loaded;
    load_side_files(*dataset);
    loaded.dataset = dataset;
    loaded.listed_only = true;
    loaded.index_current = use.complete;
    loaded.clips_from_index = use.logs;
    remember_dataset(path, loaded.recent_error);
    loaded.recent = load_recent_datasets();
    return loaded;
  });
}

void add_source(ViewerContext& context, const std::string& path) {
  AppState& state = context.state;
  if (state.dataset_path.empty()) {
    notify(state, NoticeCode::NeedsDataset, Severity::Warning, path, "open a dataset before adding predictions");
    return;
  }
  if (!dataset_settled(state)) {
    state.fill.pending_sources.push_back(path);  // scored against every clip: once they are read
    return;
  }
  // The task reads the dataset's clips: install_dataset waits for it before replacing them.
  context.tasks.start(TaskKind::LoadSource, "load " + path, [path, dataset = &state.dataset](TaskContext&) -> Command {
    cmd::SourceLoaded loaded;
    loaded.path = path;
    auto predictions = std::make_shared<PredictionSet>();
    if (load_prediction_source(path, *dataset, *predictions, loaded.error)) loaded.predictions = predictions;
    return loaded;
  });
}

// A dropped or picked path: a dataset folder opens, a .json file or other folder is a source.
void open_path(ViewerContext& context, const std::string& path) {
  bool have_dataset = !context.state.dataset_path.empty();
  context.tasks.start(TaskKind::OpenPath, "look at " + path, [path, have_dataset](TaskContext&) -> Command {
    if (looks_like_rsv_release(path)) return cmd::RsvOpen{path};
    std::error_code code;
    bool dataset_folder = false;
    if (std::filesystem::is_directory(path, code)) {
      for (auto it = std::filesystem::directory_iterator(path, code); !code && it != std::filesystem::directory_iterator(); it.increment(code)) {
        if (it->path().filename().string().starts_with("clips_recording_") && it->is_directory(code)) dataset_folder = true;
      }
    }
    if (dataset_folder || !have_dataset) return cmd::OpenDataset{path};
    return cmd::AddSource{path};
  });
}

void on_dataset_loaded(ViewerContext& context, cmd::DatasetLoaded& loaded) {
  AppState& state = context.state;
  if (loaded.path != state.loading_dataset) return;  // a newer open replaced this one
  state.loading_dataset.clear();
  if (!loaded.dataset) {
    notify(state, NoticeCode::DatasetUnreadable, Severity::Error, loaded.path, loaded.error);
    return;
  }
  // Tasks that read the current dataset's clips end before the clips go away.
  context.tasks.cancel_and_wait(TaskKind::Scoring);
  context.tasks.cancel_and_wait(TaskKind::LoadSource);
  context.tasks.cancel_and_wait(TaskKind::Sweep);
  context.tasks.cancel_and_wait(TaskKind::FillDataset);
  state.sweeps = DerivedSweeps{};
  state.scoring_for.clear();
  state.scoring_task = 0;
  state.pending_exports.clear();
  double opened_s = state.fill.opened_s;
  state.fill = DatasetFill{};
  state.fill.opened_s = opened_s;
  state.fill.listed_after_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count() - opened_s;
  state.fill.from_index = loaded.clips_from_index;
  install_dataset(state, context.video, loaded.path, std::move(*loaded.dataset));
  if (loaded.listed_only) start_dataset_fill(context, loaded.index_current);
  state.rsv.active = false;  // an IDM dataset replaces an RSV release on screen
  constexpr size_t kProblemsNamed = 20;
  for (size_t i = 0; i < loaded.clip_problems.size() && i < kProblemsNamed; ++i) {
    notify(state, NoticeCode::ClipProblem, Severity::Warning, loaded.path, loaded.path + ": " + loaded.clip_problems[i]);
  }
  if (loaded.clip_problems.size() > kProblemsNamed) {
    notify(state, NoticeCode::ClipProblem, Severity::Warning, loaded.path,
           std::to_string(loaded.clip_problems.size() - kProblemsNamed) + " more clip problems: idmscope check " + loaded.path);
  }
  state.recent_datasets = std::move(loaded.recent);
  if (!loaded.recent_error.empty()) {
    notify(state, NoticeCode::RecentListNotSaved, Severity::Warning, loaded.path, "recent list not saved: " + loaded.recent_error);
  }
}

void on_source_loaded(ViewerContext& context, cmd::SourceLoaded& loaded) {
  AppState& state = context.state;
  if (!loaded.predictions) {
    notify(state, NoticeCode::SourceUnreadable, Severity::Error, loaded.path, loaded.error);
    return;
  }
  if (state.dataset_path.empty()) return;  // the dataset went away meanwhile
  const PredictionSet& set = *loaded.predictions;
  notify(state, NoticeCode::SourceAdded, Severity::Info, loaded.path,
         "added " + set.name + " (" + std::to_string(set.by_clip.size()) + " clips, " + std::to_string(set.warnings.size()) + " warnings)");
  set_source(state, std::move(*loaded.predictions));
}

void set_profile(ViewerContext& context, const std::string& name) {
  context.tasks.start(TaskKind::LoadProfile, "load profile " + name, [name](TaskContext&) -> Command {
    cmd::ProfileLoaded loaded;
    auto profile = std::make_shared<ScoringProfile>();
    if (load_profile(name, *profile, loaded.error)) loaded.profile = profile;
    return loaded;
  });
}

void on_profile_loaded(AppState& state, cmd::ProfileLoaded& loaded) {
  if (!loaded.profile) {
    notify(state, NoticeCode::ProfileUnreadable, Severity::Error, "", loaded.error);
    return;
  }
  state.profile = std::move(*loaded.profile);
  ++state.revisions.profile;
}

void set_tolerance(AppState& state, int type, int frames) {
  if (type < 0 || type >= kActionTypeCount) return;
  std::array<int, kActionTypeCount> tolerances{-1, -1, -1, -1};
  tolerances[static_cast<size_t>(type)] = std::max(0, frames);
  if (state.profile.tolerance_frames[static_cast<size_t>(type)] == tolerances[static_cast<size_t>(type)]) return;
  state.profile = analysis::with_tolerances(state.profile, tolerances);
  ++state.revisions.profile;
}

void jump_to_miss(AppState& state, VideoSource& video, const cmd::JumpToMiss& jump) {
  if (state.sources.empty()) {
    notify(state, NoticeCode::NavigationEmpty, Severity::Info, "", "N/P jump between misses of the prediction sources: add one first");
    return;
  }
  auto next = analysis::next_miss(source_scores(state), jump.order, {state.view.clip, state.grid_frame}, jump.direction);
  if (!next) {
    notify(state, NoticeCode::NavigationEmpty, Severity::Info, "", "no FN or FP in the clips the browser shows");
    return;
  }
  if (next->clip != state.view.clip) select_clip(state, video, next->clip);
  set_grid_frame(state, next->frame);
  const std::string& key = state.dataset.clips[static_cast<size_t>(next->clip)].key;
  notify(state, NoticeCode::Navigated, Severity::Info, key,
         std::string(jump.direction > 0 ? "next" : "previous") + " miss: " + key + " F" + std::to_string(next->frame));
}

void step_clip(AppState& state, VideoSource& video, const cmd::StepClip& step) {
  if (step.order.empty()) return;
  auto at = std::find(step.order.begin(), step.order.end(), state.view.clip);
  long position = at == step.order.end() ? 0 : (at - step.order.begin()) + step.delta;
  position = std::clamp<long>(position, 0, static_cast<long>(step.order.size()) - 1);
  select_clip(state, video, step.order[static_cast<size_t>(position)]);
}

// Writes the metrics files (content built here from the current derived values, the writing in
// a task).
void write_metrics(ViewerContext& context, const cmd::ExportMetrics& request) {
  AppState& state = context.state;
  std::string stem = std::filesystem::path(state.dataset_path).filename().string();
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  if (request.csv) files.push_back({std::filesystem::path(request.dir) / (stem + "_metrics.csv"), analysis::metrics_table_csv(source_scores(state))});
  if (request.json) {
    nlohmann::ordered_json json = analysis::source_metrics_json(state.metrics.rows, state.profile);
    const auto& rows = state.metrics.rows;
    if (rows.size() >= 2) {
      size_t a = static_cast<size_t>(std::clamp(request.compare_a, 0, static_cast<int>(rows.size()) - 1));
      size_t b = static_cast<size_t>(std::clamp(request.compare_b, 0, static_cast<int>(rows.size()) - 1));
      nlohmann::ordered_json deltas = nlohmann::ordered_json::array();
      for (const analysis::MetricDelta& delta : analysis::a_vs_b(rows[a].dataset, rows[b].dataset)) {
        auto value = [](const std::optional<double>& v) { return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr); };
        deltas.push_back({{"metric", delta.name}, {"a", value(delta.a)}, {"b", value(delta.b)}, {"delta", value(delta.delta())}});
      }
      json["a_vs_b"] = {{"a", rows[a].source}, {"b", rows[b].source}, {"rows", deltas}};
    }
    files.push_back({std::filesystem::path(request.dir) / (stem + "_metrics.json"), json.dump(1) + "\n"});
  }
  for (auto& [path, content] : files) {
    context.tasks.start(TaskKind::Export, "export " + path.filename().string(), [path = path, content = std::move(content)](TaskContext&) -> Command {
      cmd::FileWritten written;
      written.path = path.string();
      std::error_code code;
      std::filesystem::create_directories(path.parent_path(), code);
      if (code) written.error = "cannot create " + path.parent_path().string() + ": " + code.message();
      else if (!write_file_atomically(path, content, written.error) && written.error.empty()) written.error = "cannot write " + path.string();
      return written;
    });
  }
}

void export_metrics(ViewerContext& context, const cmd::ExportMetrics& request) {
  AppState& state = context.state;
  if (state.sources.empty()) {
    notify(state, NoticeCode::ExportFailed, Severity::Warning, "", "add a prediction source before exporting metrics");
    return;
  }
  if (!state.scores_current() || !state.metrics.current) {
    state.pending_exports.push_back(request);  // written by refresh_derived once they are
    return;
  }
  write_metrics(context, request);
}

// One scoring task for every source whose score is older than its inputs. A newer need
// cancels the running task (its result would be dropped anyway: its keys are old).
void schedule_scoring(ViewerContext& context) {
  AppState& state = context.state;
  std::vector<ScoreKey> wanted;
  std::vector<size_t> stale;
  for (size_t s = 0; s < state.sources.size(); ++s) {
    ScoreKey key = state.wanted_score_key(state.sources[s]);
    wanted.push_back(key);
    if (!state.sources[s].scored || state.sources[s].scored_for != key) stale.push_back(s);
  }
  if (stale.empty() || (state.scoring_task != 0 && state.scoring_for == wanted) || !dataset_settled(state)) return;
  if (state.scoring_task != 0) context.tasks.cancel(state.scoring_task);
  struct Job {
    std::string path;
    ScoreKey key;
    PredictionSet predictions;
  };
  std::vector<Job> jobs;
  for (size_t s : stale) jobs.push_back({state.sources[s].predictions.path, wanted[s], state.sources[s].predictions});
  // Copies of the side files and the profile; the clips are read in place (unchanged until
  // this task is joined: see on_dataset_loaded).
  state.scoring_for = wanted;
  state.scoring_task = context.tasks.start(
      TaskKind::Scoring, "scoring " + std::to_string(jobs.size()) + " source(s)",
      [jobs = std::move(jobs), clips = &state.dataset.clips, annotations = state.dataset.annotations, overrides = state.dataset.overrides,
       profile = state.profile](TaskContext& task) -> Command {
        cmd::ScoresComputed computed;
        for (size_t j = 0; j < jobs.size(); ++j) {
          auto keep_going = [&](size_t done, size_t total) {
            task.set_progress((static_cast<double>(j) + static_cast<double>(done) / std::max<size_t>(total, 1)) / static_cast<double>(jobs.size()));
            return !task.cancelled();
          };
          DatasetScore score = score_dataset(*clips, annotations, overrides, jobs[j].predictions, profile, keep_going);
          if (task.cancelled()) return cmd::TaskCancelled{"scoring"};
          computed.sources.push_back({jobs[j].path, jobs[j].key, std::move(score)});
        }
        return computed;
      });
}

void on_scores(AppState& state, cmd::ScoresComputed& computed) {
  for (cmd::ScoredSource& scored : computed.sources) {
    for (Source& source : state.sources) {
      // Only a score of the inputs as they are now is kept; an older one is dropped.
      if (source.predictions.path == scored.path && state.wanted_score_key(source) == scored.key) {
        source.score = std::move(scored.score);
        source.scored_for = scored.key;
        source.scored = true;
      }
    }
  }
  if (state.scores_current()) {
    state.scoring_task = 0;
    state.scoring_for.clear();
  }
}

// The tolerance sweep, for the plots: one task for every source; a newer key cancels it.
void want_sweep(ViewerContext& context) {
  AppState& state = context.state;
  std::string key = state.sweep_key();
  if (state.sources.empty() || key == state.sweeps.key || key == state.sweeps.computing || !dataset_settled(state)) return;
  if (state.sweeps.task != 0) context.tasks.cancel(state.sweeps.task);
  std::vector<PredictionSet> sources;
  std::vector<std::string> paths;
  for (const Source& source : state.sources) {
    sources.push_back(source.predictions);
    paths.push_back(source.predictions.path.string());
  }
  state.sweeps.computing = key;
  state.sweeps.task = context.tasks.start(
      TaskKind::Sweep, "tolerance sweep",
      [key, paths, sources = std::move(sources), clips = &state.dataset.clips, annotations = state.dataset.annotations,
       overrides = state.dataset.overrides, profile = state.profile](TaskContext& task) -> Command {
        cmd::SweepComputed computed{key, paths, {}};
        for (size_t s = 0; s < sources.size(); ++s) {
          auto keep_going = [&](int done, int total) {
            task.set_progress((static_cast<double>(s) + static_cast<double>(done) / total) / static_cast<double>(sources.size()));
            return !task.cancelled();
          };
          computed.curves.push_back(analysis::tolerance_sweep(*clips, annotations, overrides, sources[s], profile, 10, keep_going));
          if (task.cancelled()) return cmd::TaskCancelled{"tolerance sweep"};
        }
        return computed;
      });
}

void on_sweep(AppState& state, cmd::SweepComputed& computed) {
  if (computed.key != state.sweeps.computing) return;  // an older sweep
  state.sweeps.key = std::move(computed.key);
  state.sweeps.sources = std::move(computed.sources);
  state.sweeps.curves = std::move(computed.curves);
  state.sweeps.computing.clear();
  state.sweeps.task = 0;
}

void refresh_metrics(AppState& state) {
  std::vector<ScoreKey> from;
  for (const Source& source : state.sources) from.push_back(source.scored_for);
  if (!state.scores_current()) {
    state.metrics.current = false;
    return;
  }
  if (state.metrics.current && state.metrics.from == from && state.metrics.clip == state.view.clip) return;
  state.metrics.rows = analysis::build_source_metrics(source_scores(state), state.view.clip);
  state.metrics.from = std::move(from);
  state.metrics.clip = state.view.clip;
  state.metrics.current = true;
}

}  // namespace

bool apply_command(ViewerContext& context, Command& command) {
  AppState& state = context.state;
  VideoSource& video = context.video;
  if (is_editor_command(command)) {
    apply_editor_command(context, command);
    return true;
  }
  if (is_rsv_command(command)) {
    apply_rsv_command(context, command);
    return true;
  }
  bool handled = true;
  std::visit(
      [&](auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, cmd::SelectClip>) select_clip(state, video, c.clip);
        else if constexpr (std::is_same_v<T, cmd::SelectClipByKey>) select_clip_by_key(state, video, c.key);
        else if constexpr (std::is_same_v<T, cmd::StepClip>) step_clip(state, video, c);
        else if constexpr (std::is_same_v<T, cmd::SeekGrid>) set_grid_frame(state, c.frame);
        else if constexpr (std::is_same_v<T, cmd::SeekLast>) set_grid_frame(state, state.grid_length() - 1);
        else if constexpr (std::is_same_v<T, cmd::StepGrid>) set_grid_frame(state, state.grid_frame + c.delta);
        else if constexpr (std::is_same_v<T, cmd::ShowNative>) {
          if (c.source_frame != state.view.native_source_frame) show_native(state, video, c.source_frame);
        } else if constexpr (std::is_same_v<T, cmd::StepNative>) step_native(state, video, c.delta);
        else if constexpr (std::is_same_v<T, cmd::TogglePlay>) state.playing = !state.playing;
        else if constexpr (std::is_same_v<T, cmd::Jkl>) jkl(state, c.key);
        else if constexpr (std::is_same_v<T, cmd::SetPlayNative>) state.play_native = c.native;
        else if constexpr (std::is_same_v<T, cmd::SetPlaySpeed>) state.play_speed = std::clamp(c.speed, 0.25, 4.0);
        else if constexpr (std::is_same_v<T, cmd::SetLoop>) state.play_loop = c.loop;
        else if constexpr (std::is_same_v<T, cmd::AdvancePlayback>) advance_playback(state, video, c.dt_s);
        else if constexpr (std::is_same_v<T, cmd::JumpToMiss>) jump_to_miss(state, video, c);
        else if constexpr (std::is_same_v<T, cmd::OpenDataset>) open_dataset(context, c.path);
        else if constexpr (std::is_same_v<T, cmd::OpenPath>) open_path(context, c.path);
        else if constexpr (std::is_same_v<T, cmd::AddSource>) add_source(context, c.path);
        else if constexpr (std::is_same_v<T, cmd::RemoveSource>) remove_source(state, c.index);
        else if constexpr (std::is_same_v<T, cmd::SetProfile>) set_profile(context, c.name_or_path);
        else if constexpr (std::is_same_v<T, cmd::SetTolerance>) set_tolerance(state, c.type, c.frames);
        else if constexpr (std::is_same_v<T, cmd::ExportMetrics>) export_metrics(context, c);
        else if constexpr (std::is_same_v<T, cmd::CancelTask>) context.tasks.cancel(c.task);
        else if constexpr (std::is_same_v<T, cmd::WantSweep>) want_sweep(context);
        else if constexpr (std::is_same_v<T, cmd::SweepComputed>) on_sweep(state, c);
        else if constexpr (std::is_same_v<T, cmd::DatasetLoaded>) on_dataset_loaded(context, c);
        else if constexpr (std::is_same_v<T, cmd::ClipsFilled>) on_clips_filled(context, c);
        else if constexpr (std::is_same_v<T, cmd::DatasetChecked>) on_dataset_checked(state, c);
        else if constexpr (std::is_same_v<T, cmd::ProfileLoaded>) on_profile_loaded(state, c);
        else if constexpr (std::is_same_v<T, cmd::SourceLoaded>) on_source_loaded(context, c);
        else if constexpr (std::is_same_v<T, cmd::ScoresComputed>) on_scores(state, c);
        else if constexpr (std::is_same_v<T, cmd::FileWritten>) {
          if (c.error.empty()) notify(state, NoticeCode::Exported, Severity::Info, c.path, "exported " + c.path);
          else notify(state, NoticeCode::ExportFailed, Severity::Error, c.path, c.error);
        } else if constexpr (std::is_same_v<T, cmd::TaskCancelled>) {
          // A cancelled task's result is no result: nothing to apply.
        } else if constexpr (std::is_same_v<T, cmd::Notify>) state.notifications.push(c.notice);
        else handled = false;  // ExportPng, ExportMp4, CancelMp4, RunModel: the window's
      },
      command);
  return handled;
}

void refresh_derived(ViewerContext& context) {
  AppState& state = context.state;
  fill_selected_first(context);
  refresh_clip_evaluations(state);
  refresh_rsv_derived(context);
  schedule_scoring(context);
  refresh_metrics(state);
  if (!state.pending_exports.empty() && state.metrics.current) {
    std::vector<cmd::ExportMetrics> pending;
    pending.swap(state.pending_exports);
    for (const cmd::ExportMetrics& request : pending) write_metrics(context, request);
  }
}

size_t apply_frame(ViewerContext& context, CommandQueue& queue, CommandQueue& window_commands) {
  context.tasks.drain(queue);
  size_t applied = 0;  // the frame clock's tick does not count: it comes every frame
  for (size_t i = 0; i < queue.size(); ++i) {
    Command command = std::move(queue[i]);
    if (!std::holds_alternative<cmd::AdvancePlayback>(command)) ++applied;
    if (!apply_command(context, command)) window_commands.push_back(std::move(command));
    // Editor commands held during a save run as soon as it is back, in their order.
    if (!context.state.editor.save_in_flight && !context.state.deferred_editor.empty()) {
      for (Command& deferred : context.state.deferred_editor) queue.push_back(std::move(deferred));
      context.state.deferred_editor.clear();
    }
  }
  queue.clear();
  applied += drain_decode_events(context.state, context.video);
  editor_sync(context);
  refresh_derived(context);
  return applied;
}

}  // namespace idm::gui
