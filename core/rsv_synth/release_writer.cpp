#include "rsv_synth/release_writer.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "io/atomic_write.hpp"
#include "rsv/frames.hpp"
#include "rsv/meta.hpp"
#include "rsv_synth/plans.hpp"
#include "rsv_synth/world.hpp"
#include "synth/rng.hpp"
#include "media/video_encoder.hpp"

namespace idm::rsv_synth {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

constexpr int kFramesPerStep = 9;
constexpr int kFps = 16;

enum class MetaDamage { None, MissingField, Placeholder, NotJson, NoMeta };

struct Trajectory {
  std::string split;
  std::string type;  // inverse | loop | equivalence
  std::string run;
  int64_t tid = 0;
  bool pair = false;
  std::string pair_id;
  char role = 0;         // name role
  std::string meta_role;  // role written in the metadata
  int64_t primary_tid = 0;
  int64_t partner_tid = 0;
  rsv::Pose root;
  Actions actions;
  std::vector<rsv::StepRecord> steps;  // exact (unrounded) values
  double drift_cm = 0.0;
  int drift_step = -1;
  int collision_step = -1;
  bool scene_change = false;
  MetaDamage damage = MetaDamage::None;
  bool truncate_video = false;
  std::string stem() const {
    return pair ? "run_" + run + "__pair_" + pair_id + "_" + std::string(1, role) + "_traj_" + std::to_string(tid)
                : "run_" + run + "__traj_" + std::to_string(tid);
  }
};

struct ManifestEntry {
  std::string key;
  std::string split;
  std::string problem;
  bool errors = false;
  std::string layer1;  // pass | fail | null | any
  std::string layer2;
  std::string message;  // text the report must contain for this item
};

double round_tenth(double value) { return std::round(value * 10.0) / 10.0 + 0.0; }
double round_angle(double value) { return std::round(value * 1e4) / 1e4 + 0.0; }

Json position_json(const rsv::Vec3& v) { return Json::array({round_tenth(v.x), round_tenth(v.y), round_tenth(v.z)}); }
Json rotation_json(const rsv::Vec3& r) {
  return Json::array({round_angle(rsv::wrap_degrees(r.x)), round_angle(rsv::wrap_degrees(r.y)), round_angle(rsv::wrap_degrees(r.z))});
}

// Moves the camera by the table from the root; planted drift and collisions on top.
bool simulate(Trajectory& t, const rsv::Conventions& table, const World& world) {
  t.steps.clear();
  rsv::Pose current = t.root;
  rsv::Pose ideal = t.root;
  for (size_t k = 0; k < t.actions.size(); ++k) {
    const rsv::ActionEffect* effect = table.find(t.actions[k]);
    if (!effect) return false;
    rsv::StepRecord step;
    step.step = static_cast<int>(k);
    step.action = t.actions[k];
    step.action_id = effect->id;
    step.start = current;
    step.expected_end_pos = rsv::apply_action(current, *effect).position_cm;
    ideal = rsv::apply_action(ideal, *effect);
    step.actual_end = ideal;
    if (static_cast<int>(k) == t.drift_step) step.actual_end.position_cm.x += t.drift_cm;
    if (static_cast<int>(k) == t.collision_step) {
      step.collision = true;
      step.collision_displacement_cm = 3.2;
    }
    if (!inside_arena(world, step.actual_end.position_cm, 150.0)) return false;
    current = step.actual_end;
    t.steps.push_back(step);
  }
  return true;
}

std::string algebraic_property(const std::string& type) {
  if (type == "inverse") return "inverse: A \u2218 A\u207b\u00b9 = id (explore then reverse)";
  if (type == "loop") return "loop: T_A(s0) = s0 (closed path)";
  return "equivalence: T_A(s0) = T_B(s0), A != B";
}

Json meta_json(const Trajectory& t, int width, int height) {
  Json meta;
  meta["trajectory_id"] = t.tid;
  meta["data_type"] = "reasoning";
  meta["trajectory_type"] = t.type;
  meta["algebraic_property"] = algebraic_property(t.type);
  if (t.pair) {
    meta["paired_trajectory"] = {{"is_paired", true},
                                 {"role", t.meta_role},
                                 {"primary_trajectory_id", t.primary_tid},
                                 {"partner_trajectory_id", t.partner_tid},
                                 {"relation", "path_A and path_B are commutative shuffles, should reach same final state"}};
  } else {
    meta["paired_trajectory"] = {{"is_paired", false}};
  }
  int collisions = 0;
  for (const rsv::StepRecord& step : t.steps) collisions += step.collision ? 1 : 0;
  meta["has_collision"] = collisions > 0;
  meta["collision_count"] = collisions;
  meta["total_steps"] = static_cast<int>(t.steps.size());
  meta["frames_per_step"] = kFramesPerStep;
  meta["total_frames"] = static_cast<int>(t.steps.size()) * kFramesPerStep;
  meta["render_config"] = {{"resolution", {width, height}}, {"fov", 79.0}, {"image_format", "jpeg"}, {"modalities", {"rgb", "depth"}}};
  // The root keeps yaw in [0, 360) as the card's example does; steps are normalised.
  double root_yaw = std::fmod(t.root.rotation_deg.y, 360.0);
  if (root_yaw < 0) root_yaw += 360.0;
  meta["root_state"] = {{"position", position_json(t.root.position_cm)},
                        {"rotation", Json::array({round_angle(t.root.rotation_deg.x), round_angle(root_yaw), 0.0})}};
  meta["action_sequence"] = t.actions;
  Json mask = Json::array();
  for (const rsv::StepRecord& step : t.steps) mask.push_back(step.collision ? 1 : 0);
  meta["collision_mask"] = mask;
  Json steps = Json::array();
  for (const rsv::StepRecord& step : t.steps) {
    Json entry;
    entry["step"] = step.step;
    entry["action"] = step.action;
    entry["action_id"] = step.action_id;
    entry["start_pos"] = position_json(step.start.position_cm);
    entry["start_rot"] = rotation_json(step.start.rotation_deg);
    entry["expected_end_pos"] = position_json(step.expected_end_pos);
    entry["actual_end_pos"] = position_json(step.actual_end.position_cm);
    entry["actual_end_rot"] = rotation_json(step.actual_end.rotation_deg);
    entry["collision"] = step.collision;
    entry["collision_displacement"] = step.collision_displacement_cm;
    char frame_dir[16];
    std::snprintf(frame_dir, sizeof frame_dir, "step_%02d", step.step);
    entry["frame_dir"] = frame_dir;
    steps.push_back(entry);
  }
  meta["steps"] = steps;
  meta["video_encoding"] = {{"fps", 16.0}, {"crf", 28}, {"resolution", std::to_string(width) + "x" + std::to_string(height)},
                            {"codec", "libx264"}};
  return meta;
}

std::string damaged_meta_text(const Trajectory& t, int width, int height) {
  Json meta = meta_json(t, width, height);
  switch (t.damage) {
    case MetaDamage::MissingField: meta["steps"][5].erase("expected_end_pos"); break;
    case MetaDamage::Placeholder: meta["action_sequence"][3] = "..."; break;
    default: break;
  }
  std::string text = meta.dump(2) + "\n";
  if (t.damage == MetaDamage::NotJson) {
    // What Python's json.dump writes for a float('nan').
    size_t at = text.find("\"collision_displacement\": 0.0");
    if (at != std::string::npos) text.replace(at, 29, "\"collision_displacement\": NaN");
  }
  return text;
}

bool render_video(const Trajectory& t, const RsvSynthOptions& options, const World& world, const fs::path& path,
                  std::string& error) {
  media::VideoSettings settings;
  settings.width_px = options.width_px;
  settings.height_px = options.height_px;
  settings.fps = kFps;
  settings.gop_frames = 250;  // libx264's default keyint
  settings.crf = 28;
  settings.edit_list = false;
  media::VideoEncoder encoder;
  if (!encoder.open(path, settings, error)) return false;
  std::vector<uint8_t> rgb;
  rsv::Pose last_pose;
  bool last_changed = false;
  bool have_frame = false;
  auto same = [](const rsv::Vec3& a, const rsv::Vec3& b) { return a.x == b.x && a.y == b.y && a.z == b.z; };
  for (size_t k = 0; k < t.steps.size(); ++k) {
    bool changed = t.scene_change && k + 1 == t.steps.size();
    for (int j = 0; j < kFramesPerStep; ++j) {
      rsv::Pose pose = rsv::interpolate(t.steps[k], rsv::phase_fraction(j, kFramesPerStep, options.phase));
      // no_op padding repeats a pose: the same picture, rendered once.
      bool repeat = have_frame && changed == last_changed && same(pose.position_cm, last_pose.position_cm) &&
                    same(pose.rotation_deg, last_pose.rotation_deg);
      if (!repeat) render_view(world, pose, options.width_px, options.height_px, changed, rgb);
      last_pose = pose;
      last_changed = changed;
      have_frame = true;
      if (!encoder.add_frame(rgb, error)) return false;
    }
  }
  if (!encoder.finish(error)) return false;
  if (t.truncate_video) {
    std::error_code code;
    auto size = fs::file_size(path, code);
    if (!code) fs::resize_file(path, size * 45 / 100, code);
    if (code) {
      error = "cannot truncate " + path.string() + ": " + code.message();
      return false;
    }
  }
  return true;
}

// Hands out TIDs per run: two runs per split whose TIDs overlap (keys must not rely on TIDs alone).
struct RunCounter {
  std::string name;
  int64_t next_tid = 1;
};

}  // namespace

bool write_synthetic_release(const RsvSynthOptions& options, RsvSynthStats& stats, std::string& error) {
  World world;
  std::vector<Trajectory> trajectories;
  std::vector<ManifestEntry> manifest;
  const bool start_phase = options.phase == rsv::FramePhase::Start || options.phase == rsv::FramePhase::Inclusive;
  const std::string good_layer2 = start_phase ? "pass" : "any";
  char run_a[40], run_b[40];
  std::snprintf(run_a, sizeof run_a, "20260112_0930%02d", static_cast<int>(options.seed % 60));
  std::snprintf(run_b, sizeof run_b, "20260113_1415%02d", static_cast<int>((options.seed / 60) % 60));

  struct SplitPlan {
    const char* name;
    const char* type;
    int card;
  };
  const SplitPlan splits[] = {{"inverse_easy", "inverse", 246}, {"inverse_hard", "inverse", 202}, {"loop_easy", "loop", 247},
                              {"loop_hard", "loop", 198}, {"equivalence_easy", "equivalence", 242}};
  for (size_t split_index = 0; split_index < 5; ++split_index) {
    const SplitPlan& split = splits[split_index];
    RunCounter runs[2] = {{run_a, 1}, {run_b, 1}};
    synth::Rng rng(synth::mix_seed(options.seed, 0x5253560000ull + split_index));
    int count = options.card_counts ? split.card : options.per_split;
    int pair_counter = 0;
    // One item (or pair) of this split; planted problems are applied by `plant`.
    auto make = [&](int index, const std::string& problem) -> std::vector<Trajectory> {
      for (int attempt = 0; attempt < 1000; ++attempt) {
        RunCounter& run = runs[index % 2];
        Trajectory base;
        base.split = split.name;
        base.type = split.type;
        base.run = run.name;
        base.root.position_cm = {world.center_x_cm + 200.0 * static_cast<double>(rng.range(-5, 5)),
                                 world.center_y_cm + 200.0 * static_cast<double>(rng.range(-5, 5)), 400.0};
        base.root.rotation_deg = {0.0, 45.0 * static_cast<double>(rng.range(0, 7)), 0.0};
        std::vector<Trajectory> out;
        if (std::string(split.type) == "equivalence") {
          auto [a_actions, b_actions] = equivalence_plan(rng, pair_counter % 2 ? 2 : 1);
          if (problem == "b-ends-100cm-away") {
            size_t last = b_actions.size();
            while (last > 0 && b_actions[last - 1] == "no_op") --last;
            if (last < b_actions.size()) b_actions[last] = "move_forward";
          }
          Trajectory a = base, b = base;
          a.pair = b.pair = true;
          a.pair_id = b.pair_id = std::to_string(100 + pair_counter);
          a.tid = run.next_tid;
          b.tid = run.next_tid + 1;
          a.role = 'A';
          b.role = problem == "two-A-halves" ? 'A' : 'B';
          a.meta_role = "path_A";
          b.meta_role = "path_B";
          a.primary_tid = b.primary_tid = a.tid;
          a.partner_tid = b.tid;
          b.partner_tid = a.tid;
          a.actions = a_actions;
          b.actions = b_actions;
          if (!simulate(a, options.table, world) || !simulate(b, options.table, world)) continue;
          run.next_tid += 2;
          ++pair_counter;
          out = {a, b};
        } else {
          Trajectory t = base;
          t.tid = run.next_tid;
          if (problem == "unreversed-inverse") t.actions = unreversed_inverse_plan(rng);
          else if (split_index == 0) t.actions = inverse_easy_plan(rng);
          else if (split_index == 1) t.actions = inverse_hard_plan(rng);
          else if (split_index == 2) t.actions = loop_easy_plan(rng);
          else t.actions = loop_hard_plan(rng, index % 3);
          if (problem == "drift-0.8cm" || problem == "drift-1.5cm") {
            for (size_t k = 0; k < t.actions.size(); ++k) {
              if (t.actions[k].starts_with("move_")) {
                t.drift_step = static_cast<int>(k);
                break;
              }
            }
            t.drift_cm = problem == "drift-0.8cm" ? 0.8 : 1.5;
          }
          if (problem == "collision") t.collision_step = 2;
          if (problem == "scene-change-last-step") t.scene_change = true;
          if (problem == "missing-field") t.damage = MetaDamage::MissingField;
          if (problem == "placeholder") t.damage = MetaDamage::Placeholder;
          if (problem == "nan") t.damage = MetaDamage::NotJson;
          if (problem == "orphan-mp4") t.damage = MetaDamage::NoMeta;
          if (problem == "truncated-video") t.truncate_video = true;
          if (!simulate(t, options.table, world)) continue;
          ++run.next_tid;
          out = {t};
        }
        return out;
      }
      return {};
    };
    auto add = [&](std::vector<Trajectory> made, const std::string& problem, bool errors, const std::string& layer1,
                   const std::string& layer2, const std::string& message) {
      if (made.empty()) return false;
      ManifestEntry entry;
      entry.split = split.name;
      entry.key = made[0].pair ? std::string(split.name) + "/run_" + made[0].run + "__pair_" + made[0].pair_id
                               : std::string(split.name) + "/" + made[0].stem();
      entry.problem = problem;
      entry.errors = errors;
      entry.layer1 = layer1;
      entry.layer2 = layer2;
      entry.message = message;
      manifest.push_back(entry);
      for (Trajectory& t : made) trajectories.push_back(std::move(t));
      return true;
    };
    for (int i = 0; i < count; ++i) {
      if (!add(make(i, "none"), "none", false, "pass", good_layer2, "")) {
        error = std::string("could not place a ") + split.name + " trajectory inside the arena";
        return false;
      }
    }
    if (!options.planted) continue;
    // The planted problems (rsv.md §8), each with the verdict `rsv check` must give it.
    int next = count;
    auto plant = [&](const std::string& problem, bool errors, const std::string& layer1, const std::string& layer2,
                     const std::string& message) {
      if (add(make(next++, problem), problem, errors, layer1, layer2, message)) ++stats.planted;
    };
    switch (split_index) {
      case 0:
        plant("drift-0.8cm", false, "pass", good_layer2, "");
        plant("drift-1.5cm", false, "fail", good_layer2, "1.50 cm from the expected end");
        plant("unreversed-inverse", false, "fail", "fail", "misses the root");
        break;
      case 1:
        plant("missing-field", true, "null", good_layer2, "steps/5/expected_end_pos: missing");
        plant("truncated-video", true, "pass", "null", "video");
        break;
      case 2:
        plant("scene-change-last-step", false, "pass", "fail", "below 30.0 dB");
        plant("nan", true, "null", "null", "not JSON at line");
        break;
      case 3:
        plant("collision", false, "fail", good_layer2, "collision");
        plant("placeholder", true, "null", good_layer2, "placeholder \"...\"");
        plant("orphan-mp4", true, "null", "null", "video without its _meta.json");
        break;
      case 4:
        plant("b-ends-100cm-away", false, "fail", "fail", "path_B ends away from path_A's end");
        plant("two-A-halves", true, "null", "null", "exactly one A and one B");
        break;
    }
  }

  std::error_code code;
  fs::create_directories(options.out_dir, code);
  for (const SplitPlan& split : splits) fs::create_directories(options.out_dir / split.name, code);
  if (code) {
    error = "cannot create " + options.out_dir.string() + ": " + code.message();
    return false;
  }
  for (const Trajectory& t : trajectories) {
    if (t.damage == MetaDamage::NoMeta) continue;
    fs::path meta_path = options.out_dir / t.split / (t.stem() + "_meta.json");
    std::string text = t.damage == MetaDamage::None ? meta_json(t, options.width_px, options.height_px).dump(2) + "\n"
                                                    : damaged_meta_text(t, options.width_px, options.height_px);
    if (!write_file_atomically(meta_path, text, error)) return false;
    ++stats.trajectories;
  }
  if (!options.metadata_only) {
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex error_mutex;
    auto work = [&] {
      for (size_t i = next++; i < trajectories.size() && !failed; i = next++) {
        const Trajectory& t = trajectories[i];
        std::string local_error;
        fs::path video = options.out_dir / t.split / (t.stem() + ".mp4");
        fs::path partial = video;
        partial += ".partial";
        if (!render_video(t, options, world, partial, local_error)) {
          std::lock_guard<std::mutex> lock(error_mutex);
          error = local_error;
          failed = true;
          return;
        }
        std::error_code rename_code;
        fs::rename(partial, video, rename_code);
      }
    };
    int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(trajectories.size())));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& thread : pool) thread.join();
    if (failed) return false;
    stats.videos = static_cast<int>(trajectories.size());
  }

  Json document;
  document["about"] = "Synthetic Reasoning-Structured Videos release written by `idmscope synth --rsv`. Each entry is one "
                      "item of `idmscope rsv check` and the verdict it must get under `settings`. layer verdicts: pass, "
                      "fail, null (not checked because of an error) or any (not asserted).";
  document["seed"] = options.seed;
  document["size"] = std::to_string(options.width_px) + "x" + std::to_string(options.height_px);
  document["frame_phase"] = rsv::phase_name(options.phase);
  document["settings"] = {{"endpoints", "video-ends"}, {"phase", rsv::phase_name(options.phase)}, {"psnr_min_db", 30.0}};
  document["videos"] = !options.metadata_only;
  Json entries = Json::array();
  for (const ManifestEntry& entry : manifest) {
    Json item;
    item["key"] = entry.key;
    item["split"] = entry.split;
    item["problem"] = entry.problem;
    item["errors"] = entry.errors;
    item["layer1"] = entry.layer1 == "null" ? Json(nullptr) : Json(entry.layer1);
    item["layer2"] = entry.layer2 == "null" ? Json(nullptr) : Json(entry.layer2);
    item["message"] = entry.message;
    entries.push_back(item);
  }
  document["items"] = entries;
  return write_file_atomically(options.out_dir / "fixture_manifest.json", document.dump(2) + "\n", error);
}

}  // namespace idm::rsv_synth
