#include "commands.hpp"

#include <algorithm>

namespace idm::gui {

namespace {

constexpr double kGridFps = 5.0;

void evaluate_sources(AppState& state) {
  state.view.evaluations.clear();
  const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(state.view.clip)];
  if (!clip.loaded) return;
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

void select_clip(AppState& state, DecodeService& service, int clip_index) {
  if (state.dataset.clips.empty()) return;
  clip_index = std::clamp(clip_index, 0, static_cast<int>(state.dataset.clips.size()) - 1);
  ClipView view;
  view.clip = clip_index;
  const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(clip_index)];
  if (clip.has_video) view.generation = service.open(clip.video_path);
  else view.video_error = "no video beside " + clip.json_path.filename().string();
  state.view = std::move(view);
  state.grid_frame = std::clamp(state.grid_frame, 0, std::max(0, clip_grid_frames(clip) - 1));
  evaluate_sources(state);
  // Decode the next clip's grid while the user looks at this one.
  if (clip_index + 1 < static_cast<int>(state.dataset.clips.size())) {
    const DatasetClip& next = state.dataset.clips[static_cast<size_t>(clip_index + 1)];
    if (next.has_video) service.prefetch(next.video_path);
  }
}

void select_clip_by_key(AppState& state, DecodeService& service, const std::string& key) {
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
}

void drain_decode_events(AppState& state, DecodeService& service) {
  DecodeEvent event;
  while (service.poll(event)) {
    if (event.generation != state.view.generation || state.view.clip < 0) continue;  // an older clip
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
        break;
      case DecodeEvent::Kind::Error:
        state.view.video_error = event.error;
        break;
    }
  }
}

void advance_playback(AppState& state, double dt_s) {
  if (!state.playing) return;
  state.play_clock_s += dt_s;
  while (state.play_clock_s >= 1.0 / kGridFps) {
    state.play_clock_s -= 1.0 / kGridFps;
    int next = state.grid_frame + 1;
    set_grid_frame(state, next >= state.grid_length() ? 0 : next);  // loops
  }
}

}  // namespace idm::gui
