#include "state/dataset_fill.hpp"

#include <algorithm>
#include <chrono>

#include "commands.hpp"
#include "dataset/dataset_index.hpp"
#include "dataset/integrity.hpp"

namespace idm::gui {

namespace {

// A batch ends after this many clips or this long, whichever comes first: the browser's columns
// move every few frames, and the clip on screen waits at most one batch for its own task.
constexpr size_t kBatchClips = 400;
constexpr double kBatchSeconds = 0.25;

double steady_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Reads copies of listed clips (their log, their video's probe when the index had none).
Command fill_clips(TaskContext& task, uint64_t revision, bool priority, std::vector<size_t> indices, std::vector<DatasetClip> clips,
                   size_t filled_before, size_t total) {
  cmd::ClipsFilled filled;
  filled.dataset_revision = revision;
  filled.priority = priority;
  const double started_s = steady_s();
  for (size_t i = 0; i < clips.size(); ++i) {
    // Cancelled (a newer open): what was read is returned all the same; its revision is old.
    if (task.cancelled()) break;
    if (i > 0 && steady_s() - started_s > kBatchSeconds) break;  // the rest go in the next batch
    DatasetClip& clip = clips[i];
    DatasetLoadOptions options;
    options.probe_videos = clip.has_video && !clip.video && clip.video_error.empty();
    fill_dataset_clip(clip, options);
    filled.indices.push_back(indices[i]);
    filled.clips.push_back(std::move(clip));
    if (total > 0) task.set_progress(static_cast<double>(filled_before + i + 1) / static_cast<double>(total));
  }
  return filled;
}

void start_fill_task(ViewerContext& context, std::vector<size_t> indices, bool priority) {
  AppState& state = context.state;
  std::vector<DatasetClip> copies;
  copies.reserve(indices.size());
  for (size_t index : indices) copies.push_back(state.dataset.clips[index]);  // unfilled: no log yet, small
  std::string name = priority ? "read " + state.dataset.clips[indices.front()].key
                              : "read clips (" + std::to_string(state.dataset.clips.size() - state.fill.filled) + " left)";
  uint64_t id = context.tasks.start(TaskKind::FillDataset, std::move(name),
                                    [revision = state.revisions.dataset, priority, indices = std::move(indices), copies = std::move(copies),
                                     filled_before = state.fill.filled, total = state.dataset.clips.size()](TaskContext& task) mutable {
                                      return fill_clips(task, revision, priority, std::move(indices), std::move(copies), filled_before, total);
                                    });
  if (!priority) state.fill.batch_task = id;
}

void start_next_batch(ViewerContext& context) {
  AppState& state = context.state;
  if (state.fill.done || state.fill.batch_task != 0) return;
  std::vector<size_t> indices;
  for (size_t i = 0; i < state.dataset.clips.size() && indices.size() < kBatchClips; ++i) {
    if (!state.dataset.clips[i].filled && static_cast<int>(i) != state.fill.priority_clip) indices.push_back(i);
  }
  if (!indices.empty()) start_fill_task(context, std::move(indices), false);
}

// Every clip is read: name the clips that cannot be read or scored, write the index back (a
// task: it reads the clips in place, which no longer change), and start what waited.
void finish_fill(ViewerContext& context) {
  AppState& state = context.state;
  state.fill.done = true;
  state.fill.filled_after_s = steady_s() - state.fill.opened_s;
  notify(state, NoticeCode::DatasetRead, Severity::Info, state.dataset_path,
         "read " + std::to_string(state.dataset.clips.size()) + " clips of " + state.dataset_path);
  // The clips are read in place (they no longer change until the next open, which joins this
  // task first); the side files may (the editor), so the task checks against a copy of them.
  auto side_files = std::make_shared<Dataset>();
  side_files->root = state.dataset.root;
  side_files->annotations = state.dataset.annotations;
  side_files->overrides = state.dataset.overrides;
  side_files->gesture_exp = state.dataset.gesture_exp;
  side_files->gesture_norm = state.dataset.gesture_norm;
  side_files->side_file_errors = state.dataset.side_file_errors;
  side_files->side_file_notes = state.dataset.side_file_notes;
  side_files->tree_findings = state.dataset.tree_findings;
  context.tasks.start(TaskKind::FillDataset, "check " + state.dataset_path,
                      [revision = state.revisions.dataset, clips = &state.dataset.clips, side_files,
                       write_index = !state.fill.index_current](TaskContext&) -> Command {
                        cmd::DatasetChecked checked;
                        checked.dataset_revision = revision;
                        for (const Finding& finding : check_dataset_clips(*side_files, *clips)) {
                          if (affects_scores(finding)) checked.clip_problems.push_back(finding.kind + ": " + finding_text(finding));
                        }
                        // A dataset that cannot be written simply keeps no index.
                        if (write_index) write_dataset_index(side_files->root, index_of_dataset(*clips), checked.index_error);
                        return checked;
                      });
  std::vector<std::string> sources;
  sources.swap(state.fill.pending_sources);
  for (std::string& path : sources) {
    Command add = cmd::AddSource{std::move(path)};
    apply_command(context, add);
  }
}

}  // namespace

bool dataset_settled(const AppState& state) { return state.fill.done; }

void start_dataset_fill(ViewerContext& context, bool index_current) {
  AppState& state = context.state;
  state.fill.index_current = index_current;
  state.fill.filled = static_cast<size_t>(std::count_if(state.dataset.clips.begin(), state.dataset.clips.end(), [](const DatasetClip& clip) { return clip.filled; }));
  state.fill.done = false;
  state.fill.batch_task = 0;
  state.fill.priority_clip = -1;
  if (state.fill.filled == state.dataset.clips.size()) {
    finish_fill(context);
    return;
  }
  fill_selected_first(context);
  start_next_batch(context);
}

void fill_selected_first(ViewerContext& context) {
  AppState& state = context.state;
  int clip = state.view.clip;
  if (state.fill.done || clip == state.fill.priority_clip || clip < 0 || static_cast<size_t>(clip) >= state.dataset.clips.size() ||
      state.dataset.clips[static_cast<size_t>(clip)].filled) {
    return;
  }
  start_fill_task(context, {static_cast<size_t>(clip)}, true);
  state.fill.priority_clip = clip;
}

void on_clips_filled(ViewerContext& context, cmd::ClipsFilled& filled) {
  AppState& state = context.state;
  if (filled.dataset_revision != state.revisions.dataset) return;  // another dataset's clips
  bool latest_priority = filled.priority && !filled.indices.empty() && static_cast<int>(filled.indices.front()) == state.fill.priority_clip;
  if (latest_priority) state.fill.priority_clip = -1;  // an earlier clip's read may still run: it lands like a batch
  else if (!filled.priority) state.fill.batch_task = 0;
  bool shown_clip_filled = false;
  for (size_t i = 0; i < filled.indices.size(); ++i) {
    size_t index = filled.indices[i];
    if (index >= state.dataset.clips.size() || state.dataset.clips[index].filled || state.dataset.clips[index].key != filled.clips[i].key) continue;
    state.dataset.clips[index] = std::move(filled.clips[i]);
    ++state.fill.filled;
    shown_clip_filled = shown_clip_filled || static_cast<int>(index) == state.view.clip;
  }
  if (shown_clip_filled) {
    // What the clip on screen shows from its log: holds now, the evaluations at refresh_derived.
    const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(state.view.clip)];
    state.view.holds = hold_spans(clip.log);
    state.view.evaluated = false;
  }
  if (state.fill.filled >= state.dataset.clips.size()) {
    // The check reads the clips in place: only once no read of them is running.
    if (!state.fill.done && !context.tasks.running(TaskKind::FillDataset)) finish_fill(context);
    return;
  }
  fill_selected_first(context);
  start_next_batch(context);
}

void on_dataset_checked(AppState& state, cmd::DatasetChecked& checked) {
  if (checked.dataset_revision != state.revisions.dataset) return;
  constexpr size_t kProblemsNamed = 20;
  const std::string& path = state.dataset_path;
  for (size_t i = 0; i < checked.clip_problems.size() && i < kProblemsNamed; ++i) {
    notify(state, NoticeCode::ClipProblem, Severity::Warning, path, path + ": " + checked.clip_problems[i]);
  }
  if (checked.clip_problems.size() > kProblemsNamed) {
    notify(state, NoticeCode::ClipProblem, Severity::Warning, path,
           std::to_string(checked.clip_problems.size() - kProblemsNamed) + " more clip problems: idmscope check " + path);
  }
  if (!checked.index_error.empty()) {
    notify(state, NoticeCode::IndexNotKept, Severity::Info, path, "no index kept (" + checked.index_error + "): the next open reads every clip again");
  }
}

void print_first_frame_rows(std::FILE* out, const AppState& state, size_t browser_rows) {
  if (state.dataset_path.empty()) return;
  size_t with_columns = 0;
  for (const DatasetClip& clip : state.dataset.clips) with_columns += clip.loaded || clip.filled || clip.summary.has_value();
  std::fprintf(out, "browser: %zu rows at the first frame, %zu of %zu clips with tag and GT count (%zu from the index), listed %.3f s after the open\n",
               browser_rows, with_columns, state.dataset.clips.size(), state.fill.from_index, state.fill.listed_after_s);
}

void print_fill_timing(std::FILE* out, const AppState& state) {
  if (state.dataset_path.empty()) return;
  if (state.fill.done) std::fprintf(out, "browser: every clip read %.3f s after the open\n", state.fill.filled_after_s);
  else std::fprintf(out, "browser: %zu of %zu clips read when the window closed\n", state.fill.filled, state.dataset.clips.size());
}

}  // namespace idm::gui
