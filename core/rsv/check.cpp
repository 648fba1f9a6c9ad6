#include "rsv/check.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "rsv/image_metrics.hpp"
#include "rsv/structure.hpp"

namespace idm::rsv {

namespace {

std::string two_decimals(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

void cross_check_video(LoadedMember& member, std::vector<Diagnostic>& out) {
  const RsvMeta& meta = member.meta;
  const VideoFacts& video = member.video;
  const std::string& file = member.files.meta_label;
  if (meta.total_frames && video.frames != meta.total_frames) {
    out.push_back({Severity::Error, member.files.video_label, "",
                   "decodes to " + std::to_string(video.frames) + " frames, total_frames says " + std::to_string(meta.total_frames) +
                       (video.frames < meta.total_frames ? " (truncated?)" : "")});
  }
  if (meta.width && (video.width != meta.width || video.height != meta.height)) {
    out.push_back({Severity::Error, file, "render_config/resolution",
                   std::to_string(meta.width) + "x" + std::to_string(meta.height) + ", the video is " +
                       std::to_string(video.width) + "x" + std::to_string(video.height)});
  }
  if (meta.video_width && (video.width != meta.video_width || video.height != meta.video_height)) {
    out.push_back({Severity::Error, file, "video_encoding/resolution",
                   std::to_string(meta.video_width) + "x" + std::to_string(meta.video_height) + ", the video is " +
                       std::to_string(video.width) + "x" + std::to_string(video.height)});
  }
  if (meta.video_fps > 0 && video.fps > 0 && std::fabs(video.fps - meta.video_fps) > 0.01) {
    out.push_back({Severity::Error, file, "video_encoding/fps",
                   two_decimals(meta.video_fps) + ", the stream's is " + two_decimals(video.fps)});
  }
}

void check_modalities(const LoadedMember& member, std::vector<Diagnostic>& out) {
  for (const std::string& modality : member.meta.modalities) {
    if (modality == "rgb") continue;
    if (std::find(member.files.modalities.begin(), member.files.modalities.end(), modality) == member.files.modalities.end()) {
      out.push_back({Severity::Note, member.files.meta_label, "render_config/modalities",
                     "lists " + modality + ", no " + member.files.name.stem + "_" + modality + ".mp4 (the card: listed, not shipped)"});
    }
  }
}

void check_pair_links(LoadedItem& loaded) {
  if (loaded.members.size() != 2) return;
  const LoadedMember& a = loaded.members[0];
  const LoadedMember& b = loaded.members[1];
  if (a.meta.root && b.meta.root && !same_pose(*a.meta.root, *b.meta.root, 1e-6, 1e-6)) {
    loaded.diagnostics.push_back({Severity::Error, b.files.meta_label, "root_state", "differs from path_A's root_state"});
  }
  for (const LoadedMember* member : {&a, &b}) {
    const RsvMeta& meta = member->meta;
    if (!meta.is_paired) continue;
    int64_t own = member->files.name.tid;
    int64_t other = (member == &a ? b : a).files.name.tid;
    if (meta.primary_trajectory_id && *meta.primary_trajectory_id != a.files.name.tid) {
      loaded.diagnostics.push_back({Severity::Warning, member->files.meta_label, "paired_trajectory/primary_trajectory_id",
                                    std::to_string(*meta.primary_trajectory_id) + ", path_A is traj_" + std::to_string(a.files.name.tid)});
    }
    if (meta.partner_trajectory_id && *meta.partner_trajectory_id != other) {
      loaded.diagnostics.push_back({Severity::Warning, member->files.meta_label, "paired_trajectory/partner_trajectory_id",
                                    std::to_string(*meta.partner_trajectory_id) + ", the other half is traj_" + std::to_string(other) +
                                        " (this one is traj_" + std::to_string(own) + ")"});
    }
  }
}

}  // namespace

bool CheckReport::any_failure() const {
  for (const ItemResult& item : items) {
    if (has_errors(item.diagnostics)) return true;
    if (item.layer1.pass == false || item.layer2.pass == false) return true;
  }
  return false;
}

std::vector<LoadedItem> load_items(const Release& release, const CheckSettings& settings) {
  std::vector<LoadedItem> out(release.items.size());
  std::atomic<size_t> next{0};
  std::atomic<int> done{0};
  std::mutex progress_mutex;
  auto work = [&] {
    for (size_t i = next++; i < release.items.size(); i = next++) {
      const ReleaseItem& item = release.items[i];
      LoadedItem& loaded = out[i];
      loaded.item = &item;
      loaded.diagnostics = item.diagnostics;
      loaded.relation = relation_of_split(item.split);
      if (item.is_pair) {
        int a = 0, b = 0;
        for (const MemberFiles& member : item.members) (member.name.role == 'A' ? a : b)++;
        loaded.pairing_ok = a == 1 && b == 1;
      }
      for (const MemberFiles& files : item.members) {
        LoadedMember member;
        member.files = files;
        if (!files.meta_path.empty()) {
          MetaExpectations expect;
          expect.tid = files.name.tid;
          expect.relation = loaded.relation;
          expect.name_role = files.name.is_pair ? files.name.role : 0;
          expect.conventions = &settings.table;
          member.meta = read_meta_file(files.meta_path, files.meta_label, expect, loaded.diagnostics);
          if (loaded.relation.empty()) loaded.relation = member.meta.trajectory_type;
          check_modalities(member, loaded.diagnostics);
        }
        if (!files.video_path.empty() && settings.probe_videos) {
          std::string error;
          member.video_ok = probe_video_facts(files.video_path, member.video, error);
          if (!member.video_ok) loaded.diagnostics.push_back({Severity::Error, files.video_label, "", "cannot read the video: " + error});
          else if (member.meta.parsed) cross_check_video(member, loaded.diagnostics);
        }
        loaded.members.push_back(std::move(member));
      }
      if (item.is_pair && loaded.pairing_ok) check_pair_links(loaded);
      int finished = ++done;
      if (settings.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        settings.progress("reading", finished, static_cast<int>(release.items.size()));
      }
    }
  };
  int threads = std::max(1, std::min<int>(settings.threads, static_cast<int>(release.items.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  return out;
}

ItemResult check_poses(const LoadedItem& loaded, const Conventions& conventions) {
  ItemResult result;
  const ReleaseItem& item = *loaded.item;
  result.key = item.key;
  result.split = item.split;
  result.relation = loaded.relation;
  for (const LoadedMember& member : loaded.members) result.members.push_back(member.files.key);
  result.diagnostics = loaded.diagnostics;
  bool metas_ok = !loaded.members.empty() && loaded.pairing_ok;
  for (const LoadedMember& member : loaded.members) metas_ok = metas_ok && member.meta.steps_valid;
  if (!metas_ok) return result;
  if (item.is_pair) {
    const RsvMeta& a = loaded.members[0].meta;
    const RsvMeta& b = loaded.members[1].meta;
    result.layer1 = layer1_pair(a, b, conventions);
    result.structure = pair_structure(a.actions, b.actions, conventions).text();
  } else {
    const RsvMeta& meta = loaded.members[0].meta;
    result.layer1 = layer1_single(meta, conventions);
    if (loaded.relation == "inverse") {
      InverseStructure structure = inverse_structure(meta.actions);
      result.structure = structure.text();
      if (!structure.matches) {
        result.diagnostics.push_back({Severity::Warning, loaded.members[0].files.meta_label, "action_sequence",
                                      "an inverse trajectory whose actions are not A || no_op pad || A^-1"});
      }
    } else if (loaded.relation == "loop") {
      result.structure = loop_structure(meta.actions, conventions).text();
    }
  }
  return result;
}

bool endpoint_frames(const LoadedItem& loaded, const EndpointPolicy& endpoints, FramePhase phase, int& first_frame,
                     int& second_frame, std::string& reason) {
  const bool pair = loaded.item->is_pair;
  const LoadedMember& first = loaded.members.front();
  const LoadedMember& second = loaded.members.back();
  switch (endpoints.kind) {
    case EndpointKind::VideoEnds:
      first_frame = pair ? first.video.frames - 1 : 0;
      second_frame = second.video.frames - 1;
      break;
    case EndpointKind::Explicit:
      first_frame = endpoints.start_frame;
      second_frame = endpoints.end_frame;
      break;
    case EndpointKind::Closure: {
      for (const LoadedMember& member : loaded.members) {
        if (!member.meta.steps_valid) {
          reason = "closure endpoints need valid per-step poses";
          return false;
        }
      }
      ClosureFrames a = closure_frames(first.meta, phase);
      ClosureFrames b = closure_frames(second.meta, phase);
      if (pair) {
        if (!a.final_frame || !b.final_frame) {
          reason = std::string("no frame shows the final pose under phase ") + phase_name(phase);
          return false;
        }
        first_frame = *a.final_frame;
        second_frame = *b.final_frame;
      } else {
        if (!a.root_frame || !a.final_frame) {
          reason = std::string("no frame shows the ") + (a.root_frame ? "final pose" : "root") + " under phase " +
                          phase_name(phase);
          return false;
        }
        first_frame = *a.root_frame;
        second_frame = *a.final_frame;
      }
      break;
    }
  }
  return true;
}

Layer2Result check_pixels(const LoadedItem& loaded, const CheckSettings& settings) {
  Layer2Result result;
  if (!loaded.pairing_ok || loaded.members.empty()) return result;
  const bool pair = loaded.item->is_pair;
  for (const LoadedMember& member : loaded.members) {
    if (!member.meta.parsed) {
      result.reason = "the metadata cannot be read";
      return result;
    }
    if (!member.video_ok || member.video.frames <= 0) {
      result.reason = "no readable video";
      return result;
    }
  }
  const LoadedMember& first = loaded.members.front();
  const LoadedMember& second = loaded.members.back();
  int first_frame = 0;
  int second_frame = 0;
  if (!endpoint_frames(loaded, settings.endpoints, settings.phase, first_frame, second_frame, result.reason)) return result;
  result.frames = {{first.files.key, first_frame}, {second.files.key, second_frame}};
  std::string error;
  std::vector<uint8_t> first_rgb, second_rgb;
  FrameReader first_reader;
  if (!first_reader.open(first.files.video_path, error) || !first_reader.read_rgb(first_frame, first_rgb, error)) {
    result.reason = first.files.video_label + ": " + error;
    return result;
  }
  FrameReader second_reader;
  FrameReader* reader = &first_reader;
  if (pair) {
    if (!second_reader.open(second.files.video_path, error)) {
      result.reason = second.files.video_label + ": " + error;
      return result;
    }
    reader = &second_reader;
  }
  if (!reader->read_rgb(second_frame, second_rgb, error)) {
    result.reason = second.files.video_label + ": " + error;
    return result;
  }
  const VideoFacts& a = first_reader.facts();
  const VideoFacts& b = reader->facts();
  if (a.width != b.width || a.height != b.height) {
    result.reason = "the two videos differ in size";
    return result;
  }
  result.mse = mse_rgb24(first_rgb.data(), second_rgb.data(), static_cast<size_t>(a.width), static_cast<size_t>(a.height));
  result.psnr_db = psnr_from_mse(*result.mse);
  if (settings.ssim) result.ssim = ssim_rgb24(first_rgb.data(), second_rgb.data(), a.width, a.height);
  result.pass = *result.psnr_db >= settings.psnr_min_db;
  if (!*result.pass) {
    char text[200];
    std::snprintf(text, sizeof text, "PSNR %.2f dB between frame %d and frame %d is below %.1f dB", *result.psnr_db,
                  first_frame, second_frame, settings.psnr_min_db);
    result.reason = text;
  }
  return result;
}

CheckReport run_check(const Release& release, const CheckSettings& settings) {
  CheckReport report;
  report.release_notes = release.notes;
  std::vector<LoadedItem> loaded = load_items(release, settings);
  std::vector<const RsvMeta*> metas;
  for (const LoadedItem& item : loaded) {
    for (const LoadedMember& member : item.members) metas.push_back(&member.meta);
  }
  report.measured = measure_conventions(metas, settings.table);
  Conventions conventions = report.measured.effective(settings.table);
  for (const ActionMeasurement& action : report.measured.actions) {
    if (action.verdict != "contradicted") continue;
    const ActionEffect* table = settings.table.find(action.name);
    const ActionEffect* used = conventions.find(action.name);
    bool kinematics_changed = table && used &&
                              (table->forward_cm != used->forward_cm || table->right_cm != used->right_cm ||
                               table->up_cm != used->up_cm || table->yaw_deg != used->yaw_deg || table->pitch_deg != used->pitch_deg);
    if (kinematics_changed) report.conventions_used.push_back(action.name);
  }
  report.items.reserve(loaded.size());
  for (const LoadedItem& item : loaded) report.items.push_back(check_poses(item, conventions));
  if (settings.layer2) {
    std::atomic<size_t> next{0};
    std::atomic<int> done{0};
    std::mutex progress_mutex;
    auto work = [&] {
      for (size_t i = next++; i < loaded.size(); i = next++) {
        bool stopped = false;
        for (const Diagnostic& diagnostic : loaded[i].diagnostics) {
          // A video that cannot be read, or a pair that is not one, stops Layer 2; metadata
          // problems do not (video-ends needs no poses).
          if (diagnostic.severity == Severity::Error && diagnostic.pointer.empty() && diagnostic.file.ends_with(".mp4")) stopped = true;
        }
        if (!stopped) report.items[i].layer2 = check_pixels(loaded[i], settings);
        int finished = ++done;
        if (settings.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          settings.progress("frames", finished, static_cast<int>(loaded.size()));
        }
      }
    };
    int threads = std::max(1, std::min<int>(settings.threads, static_cast<int>(loaded.size())));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& thread : pool) thread.join();
  }
  return report;
}

namespace {

nlohmann::ordered_json optional_number(const std::optional<double>& value) {
  if (!value) return nullptr;
  return std::isinf(*value) ? kPsnrCapDb : *value;
}

nlohmann::ordered_json verdict(const std::optional<bool>& pass) {
  if (!pass) return nullptr;
  return *pass ? "pass" : "fail";
}

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(values.size())));
  if (rank > 0) --rank;
  return values[std::min(rank, values.size() - 1)];
}

}  // namespace

nlohmann::ordered_json report_json(const CheckReport& report, const CheckSettings& settings) {
  nlohmann::ordered_json document;
  nlohmann::ordered_json& stamp = document["settings"];
  stamp["endpoints"] = endpoint_policy_name(settings.endpoints);
  stamp["phase"] = phase_name(settings.phase);
  stamp["psnr_min_db"] = settings.psnr_min_db;
  if (!report.conventions_used.empty()) stamp["conventions_measured"] = report.conventions_used;
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  struct SplitTally {
    int items = 0, errors = 0, layer1_pass = 0, layer2_pass = 0;
    std::vector<double> psnr;
  };
  std::map<std::string, SplitTally> tallies;
  std::vector<std::string> split_order;
  for (const ItemResult& item : report.items) {
    nlohmann::ordered_json entry;
    entry["key"] = item.key;
    entry["split"] = item.split;
    entry["relation"] = item.relation.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(item.relation);
    entry["members"] = item.members;
    nlohmann::ordered_json errors = nlohmann::ordered_json::array(), warnings = nlohmann::ordered_json::array(),
                           notes = nlohmann::ordered_json::array();
    for (const Diagnostic& diagnostic : item.diagnostics) {
      (diagnostic.severity == Severity::Error ? errors : diagnostic.severity == Severity::Warning ? warnings : notes)
          .push_back(diagnostic_line(diagnostic));
    }
    entry["errors"] = errors;
    entry["warnings"] = warnings;
    entry["notes"] = notes;
    entry["structure"] = item.structure.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(item.structure);
    nlohmann::ordered_json& layer1 = entry["layer1"];
    layer1["verdict"] = verdict(item.layer1.pass);
    if (item.layer1.pass) {
      layer1["worst_step"] = item.layer1.worst_step;
      layer1["max_step_deviation_cm"] = item.layer1.max_step_deviation_cm;
      layer1["closure_residual_cm"] = item.layer1.closure_residual_cm;
      layer1["closure_residual_deg"] = item.layer1.closure_residual_deg;
    } else {
      layer1["worst_step"] = nullptr;
      layer1["max_step_deviation_cm"] = nullptr;
      layer1["closure_residual_cm"] = nullptr;
      layer1["closure_residual_deg"] = nullptr;
    }
    layer1["reason"] = item.layer1.reason.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(item.layer1.reason);
    nlohmann::ordered_json& layer2 = entry["layer2"];
    layer2["verdict"] = verdict(item.layer2.pass);
    nlohmann::ordered_json frames = nlohmann::ordered_json::array();
    for (const auto& [member, frame] : item.layer2.frames) frames.push_back({member, frame});
    layer2["frames"] = frames;
    layer2["mse"] = optional_number(item.layer2.mse);
    layer2["psnr_db"] = optional_number(item.layer2.psnr_db);
    if (settings.ssim) layer2["ssim"] = optional_number(item.layer2.ssim);
    layer2["reason"] = item.layer2.reason.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(item.layer2.reason);
    items.push_back(entry);

    if (!tallies.count(item.split)) split_order.push_back(item.split);
    SplitTally& tally = tallies[item.split];
    ++tally.items;
    if (has_errors(item.diagnostics)) ++tally.errors;
    if (item.layer1.pass == true) ++tally.layer1_pass;
    if (item.layer2.pass == true) ++tally.layer2_pass;
    if (item.layer2.psnr_db) tally.psnr.push_back(capped_psnr(*item.layer2.psnr_db));
  }
  document["items"] = items;
  nlohmann::ordered_json splits = nlohmann::ordered_json::object();
  for (const std::string& name : split_order) {
    const SplitTally& tally = tallies[name];
    nlohmann::ordered_json split;
    split["items"] = tally.items;
    split["errors"] = tally.errors;
    split["layer1_pass"] = tally.layer1_pass;
    split["layer2_pass"] = tally.layer2_pass;
    if (tally.psnr.empty()) {
      split["psnr_db"] = nullptr;
    } else {
      split["psnr_db"] = {{"min", percentile(tally.psnr, 0.0)}, {"p5", percentile(tally.psnr, 0.05)},
                          {"median", percentile(tally.psnr, 0.5)}};
    }
    splits[name] = split;
  }
  document["splits"] = splits;
  return document;
}

}  // namespace idm::rsv
