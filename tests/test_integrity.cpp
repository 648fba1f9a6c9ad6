// `check` findings: each note and problem from one in-memory clip built to contain it.
#include <doctest/doctest.h>

#include <algorithm>

#include "gt/pipeline.hpp"
#include "dataset/integrity.hpp"

using namespace idm;

namespace {

RawEvent event(double seconds_into_clip, EventKind kind, const char* name = "") {
  RawEvent out;
  out.ts_us = 100e6 + seconds_into_clip * 1e6;  // the clip starts at 100 s
  out.kind = kind;
  out.type_name = event_kind_name(kind);
  out.name = name;
  out.payload_valid = true;
  return out;
}

const Finding* find(const std::vector<Finding>& findings, const std::string& kind) {
  auto it = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.kind == kind; });
  return it == findings.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("check: notes for stuck keys, orphan releases, events outside the clip and near a boundary") {
  Dataset dataset;
  DatasetClip clip;
  clip.key = "rec/clip_000_t";
  clip.has_video = true;  // no probe: the video itself is not judged here
  clip.loaded = true;
  clip.log.start_s = 100.0;
  clip.log.end_s = 105.0;
  clip.log.has_end = true;
  clip.log.events = {
      event(1.03, EventKind::KeyPress, "KeyA"),        // never released
      event(2.03, EventKind::KeyRelease, "KeyB"),      // released, never pressed
      event(-0.55, EventKind::KeyPress, "KeyC"),       // before start_s
      event(-0.45, EventKind::KeyRelease, "KeyC"),
      event(3.1003, EventKind::MousePress, "Left"),    // 0.3 ms after the 3.1 s boundary
      event(3.55, EventKind::MouseRelease, "Left"),
      event(4.3001, EventKind::MouseMove),             // moves are not flagged near boundaries
  };
  clip.canonical_gt = canonical_gt(clip.log);
  dataset.clips.push_back(clip);

  std::vector<Finding> findings = check_dataset(dataset);
  const Finding* stuck = find(findings, "stuck-key");
  REQUIRE(stuck);
  CHECK(stuck->severity == Severity::Note);
  CHECK(stuck->message.find("key A") != std::string::npos);
  CHECK(stuck->message.find("1.030 s") != std::string::npos);
  const Finding* orphan = find(findings, "release-without-press");
  REQUIRE(orphan);
  CHECK(orphan->message.find("key B") != std::string::npos);
  const Finding* outside = find(findings, "outside-clip");
  REQUIRE(outside);
  CHECK(outside->message.find("2 events") != std::string::npos);
  const Finding* near = find(findings, "near-boundary");
  REQUIRE(near);
  CHECK(near->message.find("1 events") != std::string::npos);
  CHECK(near->message.find("MousePress at 3.100 s") != std::string::npos);
  for (const Finding& finding : findings) CHECK_MESSAGE(finding.severity == Severity::Note, finding.kind);
}

TEST_CASE("check: problems for a missing video, unreadable JSON and skipped events") {
  Dataset dataset;
  DatasetClip missing_video;
  missing_video.key = "rec/clip_001_t";
  missing_video.video_path = "rec/clip_001_t.mp4";
  missing_video.loaded = true;
  missing_video.log.warnings.push_back("$.actions[3]: timestamp is a string, expected integer microseconds; event skipped");
  DatasetClip unreadable;
  unreadable.key = "rec/clip_002_t";
  unreadable.has_video = true;
  unreadable.json_path = "rec/clip_002_t.json";
  unreadable.error = "not valid JSON: line 1, column 9: unexpected end of input";
  dataset.clips = {missing_video, unreadable};

  std::vector<Finding> findings = check_dataset(dataset);
  const Finding* no_video = find(findings, "no-video");
  REQUIRE(no_video);
  CHECK(no_video->severity == Severity::Problem);
  CHECK(no_video->message.find("clip_001_t.mp4") != std::string::npos);
  const Finding* skipped = find(findings, "malformed-event");
  REQUIRE(skipped);
  CHECK(skipped->message.find("$.actions[3]") != std::string::npos);
  const Finding* broken = find(findings, "unreadable");
  REQUIRE(broken);
  CHECK(broken->clip_key == "rec/clip_002_t");
  CHECK(broken->message.find("line 1, column 9") != std::string::npos);
}
