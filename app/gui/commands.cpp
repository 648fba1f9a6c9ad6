#include "commands.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>


namespace idm::gui {

namespace {

constexpr double kGridFps = 5.0;

void evaluate_sources(AppState& state) {
  state.view.evaluations.clear();
  state.view.motions = ClipMotions{};
  const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(state.view.clip)];
  if (!clip.loaded) return;
  std::vector<const PredictionSet*> source_sets;
  for (const Source& source : state.sources) source_sets.push_back(&source.predictions);
  state.view.motions = compute_clip_motions(state.dataset, state.view.clip, source_sets, state.profile.fps);
  ClipEvaluationInput input;
  input.log = &clip.log;
  if (auto it = state.dataset.overrides.clips.find(clip.key); it != state.dataset.overrides.clips.end()) input.overrides = &it->second;
  if (auto it = state.dataset.annotations.clips.find(clip.key); it != state.dataset.annotations.clips.end()) input.labels = &it->second;
  input.grid_frames = clip_grid_frames(clip);
  input.width = clip_width(clip);
  input.height = clip_height(clip);
  state.view.gt_only = evaluate_clip(input, state.profile);
  for (const Source& source : state.sources) {
    auto it = source.predictions.by_clip.find(clip.key);
    input.predictions = it != source.predictions.by_clip.end() ? &it->second : nullptr;
    state.view.evaluations.push_back(evaluate_clip(input, state.profile));
  }
}

}  // namespace

void notify(AppState& state, NoticeCode code, Severity severity, std::string where, std::string message) {
  if (severity != Severity::Info) std::fprintf(stderr, "idmscope: %s\n", message.c_str());
  state.notifications.push({code, severity, std::move(where), std::move(message), 0});
}

bool AppState::scores_current() const {
  return std::all_of(sources.begin(), sources.end(), [&](const Source& source) { return source.scored && source.scored_for == wanted_score_key(source); });
}

std::string AppState::sweep_key() const {
  std::string key = std::to_string(revisions.dataset) + "|" + std::to_string(revisions.side_files) + "|" + profile.name;
  for (int type = 0; type < kActionTypeCount; ++type) key += "|" + std::to_string(profile.scored[static_cast<size_t>(type)]);
  for (const Source& source : sources) key += "|" + std::to_string(source.revision);
  return key;
}

void refresh_clip_evaluations(AppState& state) {
  if (state.view.clip < 0 || static_cast<size_t>(state.view.clip) >= state.dataset.clips.size()) return;
  ScoreKey key{state.revisions.dataset, state.revisions.side_files, state.revisions.profile, 0};
  std::vector<uint64_t> sources;
  for (const Source& source : state.sources) sources.push_back(source.revision);
  if (state.view.evaluated && state.view.evaluated_for == key && state.view.evaluated_sources == sources) return;
  evaluate_sources(state);
  state.view.evaluated_for = key;
  state.view.evaluated_sources = std::move(sources);
  state.view.evaluated = true;
}

void install_dataset(AppState& state, VideoSource& video, const std::string& path, Dataset dataset) {
  state.dataset = std::move(dataset);
  state.dataset_path = path;
  state.sources.clear();
  state.view = ClipView{};
  state.grid_frame = 0;
  ++state.revisions.dataset;
  state.metrics = DerivedMetrics{};
  notify(state, NoticeCode::DatasetOpened, Severity::Info, path, "opened " + path + " (" + std::to_string(state.dataset.clips.size()) + " clips)");
  // Unusable side files and an interrupted editor save are said at once (all of them on stderr).
  for (const std::vector<std::string>* messages : {&state.dataset.side_file_errors, &state.dataset.side_file_notes}) {
    for (const std::string& message : *messages) {
      notify(state, NoticeCode::SideFileProblem, Severity::Warning, path, path + "/" + message);
    }
  }
  if (!state.dataset.clips.empty()) select_clip(state, video, 0);
}

void set_source(AppState& state, PredictionSet predictions) {
  Source source;
  source.predictions = std::move(predictions);
  source.revision = state.revisions.next_source++;
  auto same = std::find_if(state.sources.begin(), state.sources.end(), [&](const Source& s) { return s.predictions.path == source.predictions.path; });
  if (same != state.sources.end()) {
    // The old numbers stay on screen, marked as being rescored, until the new ones arrive.
    source.score = std::move(same->score);
    source.scored_for = same->scored_for;
    source.scored = same->scored;
    *same = std::move(source);
  } else {
    state.sources.push_back(std::move(source));
  }
}

void remove_source(AppState& state, size_t index) {
  if (index >= state.sources.size()) return;
  notify(state, NoticeCode::SourceRemoved, Severity::Info, state.sources[index].predictions.path, "removed " + state.sources[index].predictions.name);
  state.sources.erase(state.sources.begin() + static_cast<ptrdiff_t>(index));
}

void select_clip(AppState& state, VideoSource& service, int clip_index) {
  if (state.dataset.clips.empty()) return;
  clip_index = std::clamp(clip_index, 0, static_cast<int>(state.dataset.clips.size()) - 1);
  ClipView view;
  view.clip = clip_index;
  const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(clip_index)];
  if (clip.has_video) view.generation = service.open(clip.video_path);
  else view.video_error = "no video beside " + clip.json_path.filename().string();
  view.holds = hold_spans(clip.log);
  state.view = std::move(view);
  state.grid_frame = std::clamp(state.grid_frame, 0, std::max(0, clip_grid_frames(clip) - 1));
  refresh_clip_evaluations(state);
  // Decode the next clip's grid while the user looks at this one.
  if (clip_index + 1 < static_cast<int>(state.dataset.clips.size())) {
    const DatasetClip& next = state.dataset.clips[static_cast<size_t>(clip_index + 1)];
    if (next.has_video) service.prefetch(next.video_path);
  }
}

void select_clip_by_key(AppState& state, VideoSource& service, const std::string& key) {
  for (size_t i = 0; i < state.dataset.clips.size(); ++i) {
    if (state.dataset.clips[i].key == key) {
      select_clip(state, service, static_cast<int>(i));
      return;
    }
  }
  select_clip(state, service, 0);
}

void set_grid_frame(AppState& state, int grid_frame) {
  state.grid_frame = std::clamp(grid_frame, 0, std::max(0, state.grid_length() - 1));
  state.view.native_source_frame = -1;  // back on the grid
  state.view.native.reset();
}

const CachedFrame* shown_frame(const AppState& state) {
  if (state.view.native_source_frame >= 0 && state.view.native) return state.view.native.get();
  if (state.view.grid.size() > static_cast<size_t>(state.grid_frame)) return state.view.grid[static_cast<size_t>(state.grid_frame)].get();
  return nullptr;
}

void step_native(AppState& state, VideoSource& service, int delta) {
  if (!state.view.video || state.view.video->grid.length() == 0) return;
  int current = state.view.native_source_frame;
  if (current < 0) current = state.view.video->grid.source_frame_index[static_cast<size_t>(state.grid_frame)];
  show_native(state, service, current + delta);
}

namespace {

// Shows a native frame without touching playback (native playback calls this every frame).
void request_native(AppState& state, VideoSource& service, int source_frame) {
  int target = std::clamp(source_frame, 0, static_cast<int>(state.view.video->index.frames.size()) - 1);
  if (target == state.view.native_source_frame) return;
  state.view.native_source_frame = target;
  // The grid frame follows: the last grid frame whose source frame is at or before the target.
  const auto& map = state.view.video->grid.source_frame_index;
  int grid = 0;
  for (int k = 0; k < static_cast<int>(map.size()); ++k) {
    if (map[static_cast<size_t>(k)] <= target) grid = k;
  }
  state.grid_frame = grid;
  service.seek_native(target, state.view.generation);
}

// The pts of what is on screen (the native frame, else the grid frame's source frame).
int64_t shown_pts_us(const AppState& state) {
  const FrameIndex& index = state.view.video->index;
  int source = state.view.native_source_frame;
  if (source < 0 && state.grid_frame < state.view.video->grid.length()) {
    source = state.view.video->grid.source_frame_index[static_cast<size_t>(state.grid_frame)];
  }
  source = std::clamp(source, 0, static_cast<int>(index.frames.size()) - 1);
  return index.frames[static_cast<size_t>(source)].pts_us;
}

void advance_native(AppState& state, VideoSource& service, double dt_s) {
  const FrameIndex& index = state.view.video->index;
  const SourceFrame& first = index.frames.front();
  const SourceFrame& last = index.frames.back();
  state.play_position_us += dt_s * 1e6 * state.play_speed * state.play_direction;
  double end_us = static_cast<double>(last.pts_us + std::max<int64_t>(last.duration_us, 1));
  if (state.play_position_us >= end_us || state.play_position_us < static_cast<double>(first.pts_us)) {
    if (!state.play_loop) {
      state.playing = false;
      state.play_position_us = std::clamp(state.play_position_us, static_cast<double>(first.pts_us), static_cast<double>(last.pts_us));
    } else {
      state.play_position_us = state.play_direction > 0 ? static_cast<double>(first.pts_us) : static_cast<double>(last.pts_us);
    }
  }
  int target = 0;
  for (size_t i = 0; i < index.frames.size(); ++i) {
    if (static_cast<double>(index.frames[i].pts_us) <= state.play_position_us) target = static_cast<int>(i);
  }
  request_native(state, service, target);
}

}  // namespace

void show_native(AppState& state, VideoSource& service, int source_frame) {
  if (!state.view.video || state.view.video->index.frames.empty()) return;
  state.playing = false;
  request_native(state, service, source_frame);
}

void jkl(AppState& state, char key) {
  if (key == 'k') {
    state.playing = false;
    state.play_speed = 1;
    return;
  }
  int direction = key == 'j' ? -1 : 1;
  if (state.playing && state.play_direction == direction) state.play_speed = std::min(state.play_speed * 2, 4.0);
  else state.play_speed = 1;
  state.play_direction = direction;
  state.playing = true;
}

size_t drain_decode_events(AppState& state, VideoSource& service) {
  size_t applied = 0;
  DecodeEvent event;
  while (service.poll(event)) {
    if (event.generation != state.view.generation || state.view.clip < 0) continue;  // an older clip
    ++applied;
    switch (event.kind) {
      case DecodeEvent::Kind::Opened:
        state.view.video = event.clip;
        state.view.grid.assign(static_cast<size_t>(event.clip->grid.length()), nullptr);
        set_grid_frame(state, state.grid_frame);
        break;
      case DecodeEvent::Kind::GridFrame:
        if (event.grid_frame >= 0 && static_cast<size_t>(event.grid_frame) < state.view.grid.size()) {
          state.view.grid[static_cast<size_t>(event.grid_frame)] = event.frame;
        }
        break;
      case DecodeEvent::Kind::NativeFrame:
        // Only the newest request counts: older answers may still arrive after a newer step.
        if (event.frame && event.frame->source_frame_index == state.view.native_source_frame) state.view.native = event.frame;
        break;
      case DecodeEvent::Kind::Error:
        if (state.view.video_error.empty()) std::fprintf(stderr, "idmscope: %s\n", event.error.c_str());
        state.view.video_error = event.error;
        break;
    }
  }
  return applied;
}

void advance_playback(AppState& state, VideoSource& service, double dt_s) {
  bool have_frames = state.view.video && !state.view.video->index.frames.empty() && state.view.video->grid.length() > 0;
  if (!state.playing) {
    if (have_frames) state.play_position_us = static_cast<double>(shown_pts_us(state));  // resume from what is shown
    return;
  }
  if (state.play_native) {
    if (have_frames) advance_native(state, service, dt_s);
    return;
  }
  state.play_clock_s += dt_s * state.play_speed;
  while (state.play_clock_s >= 1.0 / kGridFps) {
    state.play_clock_s -= 1.0 / kGridFps;
    int next = state.grid_frame + state.play_direction;
    int length = state.grid_length();
    if (!state.play_loop && (next >= length || next < 0)) {
      state.playing = false;
      break;
    }
    set_grid_frame(state, next >= length ? 0 : next < 0 ? length - 1 : next);
  }
}

}  // namespace idm::gui
