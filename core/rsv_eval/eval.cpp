#include "rsv_eval/eval.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "rsv/image_metrics.hpp"
#include "rsv_eval/resample.hpp"
#include "rsv_eval/rollout_frames.hpp"

namespace idm::rsv_eval {

namespace {

struct Image {
  std::vector<uint8_t> rgb;
  int width = 0;
  int height = 0;
};

struct Compared {
  double psnr_db = 0.0;
  double ssim = 0.0;
};

Compared compare(const Image& a, const Image& b, bool with_ssim) {
  Compared out;
  out.psnr_db = rsv::capped_psnr(rsv::psnr_from_mse(rsv::mse_rgb24(a.rgb.data(), b.rgb.data(), a.width, a.height)));
  if (with_ssim) out.ssim = rsv::ssim_rgb24(a.rgb.data(), b.rgb.data(), a.width, a.height);
  return out;
}

// The GT frame brought to the rollout frame's size.
Image fitted(const Image& gt, const Image& rollout) {
  return {fit_rgb(gt.rgb, gt.width, gt.height, rollout.width, rollout.height), rollout.width, rollout.height};
}

bool read_gt(const rsv::LoadedMember& member, int frame, Image& out, std::string& error) {
  rsv::FrameReader reader;
  if (!reader.open(member.files.video_path, error) || !reader.read_rgb(frame, out.rgb, error)) {
    error = member.files.video_label + ": " + error;
    return false;
  }
  out.width = reader.facts().width;
  out.height = reader.facts().height;
  return true;
}

// One member's rollout frame that shows GT frame `gt_frame`.
bool read_rollout(const RunInfo& run, const rsv::LoadedMember& member, int gt_frame, int context_count, Image& out,
                  std::pair<std::string, int>& where, std::string& error) {
  std::optional<RolloutFiles> files = find_rollout(run.folder, member.files.key);
  if (!files) {
    error = "no rollout for " + member.files.key;
    return false;
  }
  RolloutSidecar sidecar;
  if (!files->sidecar.empty()) {
    std::ifstream in(files->sidecar, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!parse_sidecar(text.str(), context_count, sidecar, error)) {
      error = files->sidecar.filename().string() + ": " + error;
      return false;
    }
  }
  RolloutFrames frames;
  if (!frames.open(*files, error)) {
    error = member.files.key + " rollout: " + error;
    return false;
  }
  int index = rollout_frame_for(gt_frame, sidecar);
  where = {"rollout:" + member.files.key, index};
  if (index >= frames.frame_count()) {
    error = member.files.key + " rollout has " + std::to_string(frames.frame_count()) + " frames; GT frame " +
            std::to_string(gt_frame) + " maps to its frame " + std::to_string(index) + " (too few frames)";
    return false;
  }
  if (!frames.read_rgb(index, out.rgb, out.width, out.height, error)) {
    error = member.files.key + " rollout: " + error;
    return false;
  }
  return true;
}

void score_item(const rsv::LoadedItem& loaded, const std::vector<RunInfo>& runs, const EvalSettings& settings, ItemScores& scores) {
  scores.gt.assign(runs.size(), {});
  scores.sc.assign(runs.size(), {});
  auto fail_all = [&](const std::string& reason) {
    scores.ceiling.reason = reason;
    for (TierScore& tier : scores.gt) tier.reason = reason;
    for (TierScore& tier : scores.sc) tier.reason = reason;
  };
  if (!loaded.pairing_ok || loaded.members.empty()) return fail_all("the item is not a sound pair");
  for (const rsv::LoadedMember& member : loaded.members) {
    if (!member.video_ok || member.video.frames <= 0) return fail_all("no readable GT video");
  }
  int first_frame = 0, second_frame = 0;
  std::string reason;
  if (!rsv::endpoint_frames(loaded, settings.endpoints, settings.phase, first_frame, second_frame, reason)) return fail_all(reason);
  const bool pair = loaded.item->is_pair;
  const rsv::LoadedMember& first = loaded.members.front();
  const rsv::LoadedMember& second = loaded.members.back();
  Image gt_first, gt_second;
  std::string error;
  if (!read_gt(first, first_frame, gt_first, error) || !read_gt(second, second_frame, gt_second, error)) return fail_all(error);
  scores.ceiling.frames = {{first.files.key, first_frame}, {second.files.key, second_frame}};
  if (gt_first.width == gt_second.width && gt_first.height == gt_second.height) {
    Compared ceiling = compare(gt_first, gt_second, settings.ssim);
    scores.ceiling.psnr_db = ceiling.psnr_db;
    if (settings.ssim) scores.ceiling.ssim = ceiling.ssim;
  } else {
    scores.ceiling.reason = "the two GT videos differ in size";
  }
  const int context_count = 1;  // the rollout request sends one context frame
  for (size_t r = 0; r < runs.size(); ++r) {
    TierScore& gt = scores.gt[r];
    TierScore& sc = scores.sc[r];
    Image rollout_first, rollout_second;
    std::pair<std::string, int> where_first, where_second;
    if (!read_rollout(runs[r], first, first_frame, context_count, rollout_first, where_first, error) ||
        !read_rollout(runs[r], second, second_frame, context_count, rollout_second, where_second, error)) {
      gt.reason = sc.reason = error;
      continue;
    }
    sc.frames = {where_first, where_second};
    if (rollout_first.width != rollout_second.width || rollout_first.height != rollout_second.height) {
      sc.reason = "the rollout's endpoint frames differ in size";
    } else {
      Compared self = compare(rollout_first, rollout_second, settings.ssim);
      if (settings.on_pair)
        settings.on_pair(runs[r].name + "|sc|" + scores.key, rollout_first.rgb, rollout_second.rgb, rollout_first.width, rollout_first.height);
      sc.psnr_db = self.psnr_db;
      if (settings.ssim) sc.ssim = self.ssim;
    }
    if (pair) {
      Image gt_a = fitted(gt_first, rollout_first), gt_b = fitted(gt_second, rollout_second);
      Compared a = compare(rollout_first, gt_a, settings.ssim);
      Compared b = compare(rollout_second, gt_b, settings.ssim);
      if (settings.on_pair) {
        settings.on_pair(runs[r].name + "|gt|" + scores.key + "|A", rollout_first.rgb, gt_a.rgb, gt_a.width, gt_a.height);
        settings.on_pair(runs[r].name + "|gt|" + scores.key + "|B", rollout_second.rgb, gt_b.rgb, gt_b.width, gt_b.height);
      }
      gt.psnr_db = (a.psnr_db + b.psnr_db) / 2.0;
      if (settings.ssim) gt.ssim = (a.ssim + b.ssim) / 2.0;
      gt.frames = {where_first, {first.files.key, first_frame}, where_second, {second.files.key, second_frame}};
    } else {
      Image gt_end = fitted(gt_second, rollout_second);
      Compared end = compare(rollout_second, gt_end, settings.ssim);
      if (settings.on_pair) settings.on_pair(runs[r].name + "|gt|" + scores.key, rollout_second.rgb, gt_end.rgb, gt_end.width, gt_end.height);
      gt.psnr_db = end.psnr_db;
      if (settings.ssim) gt.ssim = end.ssim;
      gt.frames = {where_second, {second.files.key, second_frame}};
    }
  }
}

}  // namespace

EvalResult evaluate_rollouts(const rsv::Release& release, const std::vector<RunInfo>& runs, const EvalSettings& settings) {
  EvalResult result;
  result.runs = runs;
  rsv::CheckSettings load;
  load.probe_videos = true;
  load.layer2 = false;
  load.table = settings.table;
  load.threads = settings.threads;
  std::vector<rsv::LoadedItem> loaded = rsv::load_items(release, load);
  result.items.resize(loaded.size());
  std::atomic<size_t> next{0};
  std::atomic<int> done{0};
  std::mutex progress_mutex;
  auto work = [&] {
    for (size_t i = next++; i < loaded.size(); i = next++) {
      ItemScores& scores = result.items[i];
      scores.key = loaded[i].item->key;
      scores.split = loaded[i].item->split;
      scores.relation = loaded[i].relation;
      score_item(loaded[i], runs, settings, scores);
      int finished = ++done;
      if (settings.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        settings.progress("score", finished, static_cast<int>(loaded.size()));
      }
    }
  };
  int threads = std::max(1, std::min<int>(settings.threads, static_cast<int>(loaded.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  return result;
}

std::vector<TableRow> summarise(const EvalResult& result, const std::vector<std::string>& tiers, const BootstrapSettings& bootstrap) {
  std::vector<std::string> splits;
  for (const ItemScores& item : result.items) {
    if (std::find(splits.begin(), splits.end(), item.split) == splits.end()) splits.push_back(item.split);
  }
  std::vector<TableRow> rows;
  auto add = [&](const std::string& run, const std::string& tier, const std::string& split, auto&& pick) {
    std::vector<double> values;
    int unscored = 0;
    for (const ItemScores& item : result.items) {
      if (item.split != split) continue;
      const TierScore& score = pick(item);
      if (score.psnr_db) values.push_back(*score.psnr_db);
      else ++unscored;
    }
    TableRow row{run, tier, split, bootstrap_mean(values, bootstrap), unscored};
    rows.push_back(row);
  };
  for (const std::string& split : splits) add("", "ceiling", split, [](const ItemScores& item) -> const TierScore& { return item.ceiling; });
  for (size_t r = 0; r < result.runs.size(); ++r) {
    for (const std::string& tier : tiers) {
      for (const std::string& split : splits) {
        add(result.runs[r].name, tier, split,
            [&](const ItemScores& item) -> const TierScore& { return tier == "gt" ? item.gt[r] : item.sc[r]; });
      }
    }
  }
  return rows;
}

const std::vector<ReferenceRow>& card_reference_rows() {
  static const std::vector<ReferenceRow> rows = {
      {"Chunk-AR (~420 M)", 16.63, 18.76, 18.37},
      {"Matrix-Game 2.0", 11.08, 11.03, 13.24},
      {"Infinite-World", 12.55, 12.72, 13.23},
  };
  return rows;
}

}  // namespace idm::rsv_eval
