#include "dataset/rescore.hpp"

#include <algorithm>
#include <cstdio>

#include "gt/pipeline.hpp"
#include "dataset/results_file.hpp"
#include "scoring/predictions.hpp"
#include "util/python_compat.hpp"

namespace idm {

namespace {

constexpr ActionType kReferenceTypes[] = {ActionType::KeyPress, ActionType::MouseClick, ActionType::MouseScroll};

double round4(double value) { return py::round_to_digits(value, 4); }

}  // namespace

RescoreClip rescore_clip(const ClipLog& log, const std::vector<RawPrediction>& predictions, double fps, int tolerance,
                         bool coalesce) {
  RescoreClip out;
  out.tag = log.tag;
  std::vector<Action> gt = filter_actions(log.events, log.start_s, fps, nullptr, log.dropped_latest_ts_us);
  if (coalesce) gt = coalesce_actions(gt);
  FilteredPredictions filtered = filter_predictions(predictions);
  out.malformed_predictions = filtered.malformed;
  MatchRules rules;
  rules.tolerance_frames.fill(tolerance);
  MatchResult match = match_actions(gt, filtered.events, rules);
  out.gt_count = static_cast<int64_t>(gt.size());
  out.pred_count = static_cast<int64_t>(filtered.events.size());
  for (size_t g = 0; g < gt.size(); ++g) {
    auto type = static_cast<size_t>(gt[g].type);
    out.type_present[type] = true;
    if (match.prediction_of_gt[g] >= 0) ++out.by_type[type].tp;
    else ++out.by_type[type].fn;
  }
  for (size_t p = 0; p < filtered.events.size(); ++p) {
    auto type = static_cast<size_t>(filtered.events[p].type);
    out.type_present[type] = true;
    if (match.gt_of_prediction[p] < 0) ++out.by_type[type].fp;
  }
  for (const Counts& counts : out.by_type) out.counts += counts;
  return out;
}

bool rescore_results_file(const std::filesystem::path& path, int tolerance, bool coalesce, unsigned threads,
                          RescoreReport& report, std::string& error) {
  report.tolerance = tolerance;
  report.coalesce = coalesce;
  threads = std::max(1u, threads);
  std::vector<simdjson::dom::parser> parsers(threads);
  std::vector<std::vector<std::pair<size_t, RescoreClip>>> scored_by_worker(threads);
  DecodeOptions options;
  options.keep_payload_json = false;
  options.scoring_only = true;
  ResultsFile file;
  auto score_one = [&](size_t position, std::string_view span, double fps, unsigned worker) {
    ResultsClip clip;
    std::string clip_error;
    RescoreClip scored;
    if (!decode_results_clip(parsers[worker], span, position, options, clip, clip_error, file.text.view())) {
      scored.error = clip_error;
    } else {
      scored = rescore_clip(clip.log, clip.predictions, fps, tolerance, coalesce);
      scored.clip_name = std::move(clip.clip_name);
    }
    scored.clip_index = clip.clip_index;
    return scored;
  };
  // Scoring starts while the file is still being scanned.
  bool ok = stream_results_file(path, threads, file, error, [&](size_t position, std::string_view span, double fps, unsigned worker) {
    scored_by_worker[worker].emplace_back(position, score_one(position, span, fps, worker));
  });
  if (!ok) return false;
  if (!file.fps) {
    error = "$: missing \"fps\" (the frame rate the GT must be computed at)";
    return false;
  }
  if (!(*file.fps > 0) || *file.fps > 1000) {
    error = "$.fps is " + py::float_repr(*file.fps) + ", expected a frame rate between 0 and 1000";
    return false;
  }
  report.fps = *file.fps;
  report.bytes = static_cast<int64_t>(file.text.size());
  report.clips.assign(file.clip_spans.size(), RescoreClip{});
  if (file.duplicate_keys) {
    // Python keeps the last "fps" and "clips": score those again, in parallel.
    for_each_clip_parallel(file.clip_spans.size(), threads, [&](size_t position, unsigned worker) {
      report.clips[position] = score_one(position, file.clip_spans[position], *file.fps, worker);
    });
  } else {
    for (auto& scored : scored_by_worker) {
      for (auto& [position, clip] : scored) report.clips[position] = std::move(clip);
    }
  }

  for (const RescoreClip& clip : report.clips) {
    if (!clip.error.empty()) {
      ++report.failed_clips;
      continue;
    }
    report.overall += clip.counts;
    for (int type = 0; type < kActionTypeCount; ++type) {
      report.per_type[type] += clip.by_type[type];
      report.type_present[type] = report.type_present[type] || clip.type_present[type];
    }
  }
  return true;
}

namespace {

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_counts(std::string& out, const Counts& counts) {
  Prf prf = precision_recall_f1(counts);
  out += "{\"precision\": " + py::float_repr(round4(prf.precision)) + ", \"recall\": " + py::float_repr(round4(prf.recall)) +
         ", \"f1\": " + py::float_repr(round4(prf.f1)) + ", \"tp\": " + std::to_string(counts.tp) +
         ", \"fp\": " + std::to_string(counts.fp) + ", \"fn\": " + std::to_string(counts.fn) + "}";
}

}  // namespace

std::string rescore_summary_text(const RescoreReport& report) {
  std::string out;
  out.reserve(200 + report.clips.size() * 200);
  out += "{\n \"tolerance\": " + std::to_string(report.tolerance) + ",\n \"coalesce\": " + (report.coalesce ? "true" : "false") +
         ",\n \"overall\": ";
  append_counts(out, report.overall);
  out += ",\n \"per_type\": {";
  bool first = true;
  for (ActionType type : kReferenceTypes) {
    if (!report.type_present[static_cast<size_t>(type)]) continue;
    out += first ? "\n  \"" : ",\n  \"";
    first = false;
    out += action_type_name(type);
    out += "\": ";
    append_counts(out, report.per_type[static_cast<size_t>(type)]);
  }
  out += "},\n \"clips\": [";
  first = true;
  for (const RescoreClip& clip : report.clips) {
    if (!clip.error.empty()) continue;
    out += first ? "\n  {\"clip_index\": " : ",\n  {\"clip_index\": ";
    first = false;
    out += std::to_string(clip.clip_index);
    out += ", \"clip_name\": ";
    append_json_string(out, clip.clip_name);
    out += ", \"tag\": ";
    append_json_string(out, clip.tag);
    out += ", \"gt_count\": " + std::to_string(clip.gt_count) + ", \"pred_count\": " + std::to_string(clip.pred_count) +
           ", \"tp\": " + std::to_string(clip.counts.tp) + ", \"fp\": " + std::to_string(clip.counts.fp) +
           ", \"fn\": " + std::to_string(clip.counts.fn) + ", \"f1\": " + py::float_repr(round4(precision_recall_f1(clip.counts).f1)) + "}";
  }
  out += "\n ]\n}\n";
  return out;
}

nlohmann::ordered_json rescore_summary_json(const RescoreReport& report) {
  return nlohmann::ordered_json::parse(rescore_summary_text(report));
}

std::string rescore_text_report(const RescoreReport& report) {
  std::string out;
  char line[512];
  auto add = [&](const char* format, auto... args) {
    std::snprintf(line, sizeof line, format, args...);
    out += line;
  };
  auto row = [&](const char* label, const Counts& counts) {
    Prf prf = precision_recall_f1(counts);
    add("  %-12s P=%.4f  R=%.4f  F1=%.4f  (TP=%lld FP=%lld FN=%lld)\n", label, round4(prf.precision),
        round4(prf.recall), round4(prf.f1), static_cast<long long>(counts.tp), static_cast<long long>(counts.fp),
        static_cast<long long>(counts.fn));
  };
  add("Rescore: %zu clips, fps=%s, tolerance=%d, coalesce=%s\n", report.clips.size() - report.failed_clips,
      py::float_repr(report.fps).c_str(), report.tolerance, report.coalesce ? "on" : "off");
  out += "Overall:\n";
  row("all", report.overall);
  out += "Per type:\n";
  for (ActionType type : kReferenceTypes) {
    if (report.type_present[static_cast<size_t>(type)]) row(action_type_name(type), report.per_type[static_cast<size_t>(type)]);
  }
  out += "Per clip:\n";
  add("  %5s  %-40s %-16s %5s %5s %5s %5s %5s %7s\n", "index", "clip", "tag", "gt", "pred", "tp", "fp", "fn", "f1");
  for (const RescoreClip& clip : report.clips) {
    if (!clip.error.empty()) {
      add("  %5lld  %s\n", static_cast<long long>(clip.clip_index), ("SKIPPED: " + clip.error).c_str());
      continue;
    }
    add("  %5lld  %-40s %-16s %5lld %5lld %5lld %5lld %5lld %7.4f\n", static_cast<long long>(clip.clip_index),
        clip.clip_name.c_str(), clip.tag.c_str(), static_cast<long long>(clip.gt_count),
        static_cast<long long>(clip.pred_count), static_cast<long long>(clip.counts.tp),
        static_cast<long long>(clip.counts.fp), static_cast<long long>(clip.counts.fn),
        round4(precision_recall_f1(clip.counts).f1));
  }
  return out;
}

}  // namespace idm
