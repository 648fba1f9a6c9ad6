#include "synth/synth.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "gt/gesture.hpp"
#include "gt/pipeline.hpp"
#include "io/atomic_write.hpp"
#include "io/clip_reader.hpp"
#include "synth/clip_log.hpp"
#include "synth/clip_video.hpp"
#include "synth/labels.hpp"
#include "synth/predictions.hpp"
#include "synth/rng.hpp"

namespace idm::synth {

namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr int kClipsPerSegment = 6;
constexpr int kEvalGridFrames = 25;  // 5 s at the eval's 5 fps

struct ClipOutput {
  std::string error;
  std::string key, name, tag;
  double start_s = 0, end_s = 0;
  Json actions, labels, overrides, gesture_exp, gesture_norm, good, weak;
};

std::string recording_uuid(uint64_t seed) {
  Rng rng(mix_seed(seed, 0xC0FFEE));
  uint64_t hi = rng.next(), lo = rng.next();
  hi = (hi & ~0xF000ull) | 0x4000ull;                     // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // RFC 4122 variant
  char text[40];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF), static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return text;
}

Json gesture_items(const GestureGt& gesture, bool exp_bins) {
  Json items = Json::array();
  for (const auto& m : gesture.moves) {
    items.push_back({{"frame", m.frame}, {"type", "MouseMove"}, {"details", gesture_move_details(m, exp_bins)}});
  }
  for (const auto& s : gesture.scrolls) {
    items.push_back({{"frame", s.frame}, {"type", "MouseScroll"}, {"details", gesture_scroll_details(s, exp_bins)}});
  }
  return items;
}

void make_clip(const SynthOptions& options, const Layout& layout, const Renderer& renderer, const std::string& uuid,
               int index, ClipOutput& out) {
  uint64_t clip_seed = mix_seed(options.seed, static_cast<uint64_t>(index) + 1);
  const auto& tags = synth_tags();
  out.tag = tags[static_cast<size_t>(index) % tags.size()];
  std::string file_tag = out.tag;
  std::replace(file_tag.begin(), file_tag.end(), '/', '-');
  char name[64];
  std::snprintf(name, sizeof name, "clip_%03d_%s", index, file_tag.c_str());
  out.name = name;
  std::string folder = "clips_recording_" + uuid + "_seg" + std::to_string(index / kClipsPerSegment);
  out.key = folder + "/" + out.name;
  fs::path dir = options.out_dir / folder;
  std::error_code ec;
  fs::create_directories(dir, ec);

  // Clips are cut from a long recording: start times on its clock, never at zero.
  Rng clock(mix_seed(clip_seed, 7));
  int64_t start_ms = 20'000 + static_cast<int64_t>(index) * 11'000 + clock.range(0, 3999);
  out.start_s = start_ms / 1000.0;
  out.end_s = (start_ms + kClipDurationUs / 1000) / 1000.0;

  ClipScript script = build_clip_script(out.tag, layout, clip_seed);
  VideoSettings video{options.width_px, options.height_px, options.fps, options.gop_frames, /*silent_audio=*/true};
  std::vector<Effect> effects;
  fs::path mp4 = dir / (out.name + ".mp4");
  fs::path partial = dir / (out.name + ".mp4.partial");
  if (!render_clip_video(script, layout, renderer, video, partial, effects, out.error)) return;
  fs::rename(partial, mp4, ec);
  if (ec) {
    out.error = "cannot write " + mp4.string() + ": " + ec.message();
    return;
  }

  out.actions = clip_actions_json(script, start_ms * 1000, mix_seed(clip_seed, 1));
  fs::path json_path = dir / (out.name + ".json");
  if (!write_file_atomically(json_path, clip_file_text(out.start_s, out.end_s, out.tag, out.actions), out.error)) return;
  // GT and gestures come from the core reading the file we wrote, like any other dataset.
  ClipLog log;
  if (!read_clip_file(json_path, log, out.error)) return;
  std::vector<Action> gt = canonical_gt(log);
  GestureGt gesture = compute_gesture_gt(log, options.width_px, options.height_px, kEvalFps);

  std::vector<InputEvent> unlogged;
  for (const auto& e : script.events) {
    if (!e.logged) unlogged.push_back(e);
  }
  out.labels = label_gt(gt, effects, out.start_s);
  out.overrides = overrides_for(gt, effects, unlogged, out.start_s);
  out.gesture_exp = gesture_items(gesture, true);
  out.gesture_norm = gesture_items(gesture, false);
  out.good = predict_clip(gt, gesture, good_model(), mix_seed(clip_seed, 11), kEvalGridFrames);
  out.weak = predict_clip(gt, gesture, weak_model(), mix_seed(clip_seed, 12), kEvalGridFrames);
}

bool write_json(const fs::path& path, const Json& value, std::string& error) {
  return write_file_atomically(path, value.dump(1, ' ') + "\n", error);
}

bool write_prediction_set(const SynthOptions& options, const std::vector<ClipOutput>& clips, bool good, std::string& error) {
  const char* set = good ? "good" : "weak";
  fs::path root = options.out_dir / "predictions";
  Json results{{"fps", 5}, {"clips", Json::array()}};
  for (size_t i = 0; i < clips.size(); ++i) {
    const ClipOutput& c = clips[i];
    const Json& answer = good ? c.good : c.weak;
    results["clips"].push_back({{"clip_index", i},
                                {"clip_name", c.name},
                                {"tag", c.tag},
                                {"start_s", c.start_s},
                                {"end_s", c.end_s},
                                {"ground_truth", c.actions},
                                {"predictions", answer},
                                {"raw_response", "```json\n" + answer.dump() + "\n```"}});
    fs::path per_clip = root / set / (c.key + ".json");
    std::error_code ec;
    fs::create_directories(per_clip.parent_path(), ec);
    if (!write_json(per_clip, answer, error)) return false;
  }
  return write_json(root / (std::string(set) + ".json"), results, error);
}

}  // namespace

bool write_synthetic_dataset(const SynthOptions& options, std::string& error) {
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) {
    error = "cannot create " + options.out_dir.string() + ": " + ec.message();
    return false;
  }
  Layout layout = make_layout(options.width_px, options.height_px);
  Fonts fonts;
  if (!load_fonts(layout, fonts, error)) return false;
  Renderer renderer(layout, fonts);
  std::string uuid = recording_uuid(options.seed);

  std::vector<ClipOutput> clips(static_cast<size_t>(options.clips));
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  threads = std::min(threads, options.clips);
  std::atomic<int> next{0};
  auto worker = [&] {
    for (int i = next++; i < options.clips; i = next++) make_clip(options, layout, renderer, uuid, i, clips[static_cast<size_t>(i)]);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (const auto& c : clips) {
    if (!c.error.empty()) {
      error = c.key + ": " + c.error;
      return false;
    }
  }

  Json annotations = Json::object(), overrides = Json::object(), exp = Json::object(), norm = Json::object();
  for (const auto& c : clips) {
    annotations[c.key] = c.labels;
    if (!c.overrides.is_null()) overrides[c.key] = c.overrides;
    exp[c.key] = c.gesture_exp;
    norm[c.key] = c.gesture_norm;
  }
  return write_json(options.out_dir / "annotations.json", annotations, error) &&
         write_json(options.out_dir / "gt_overrides.json", overrides, error) &&
         write_json(options.out_dir / "gesture_gt_exp.json", exp, error) &&
         write_json(options.out_dir / "gesture_gt_norm.json", norm, error) &&
         write_prediction_set(options, clips, true, error) && write_prediction_set(options, clips, false, error);
}

}  // namespace idm::synth
