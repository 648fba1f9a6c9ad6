// core/analysis: overlay geometry, arrow chains, vector comparison, triage walk and confusions.
#include <doctest/doctest.h>

#include <cmath>

#include "analysis/confusion.hpp"
#include "analysis/metrics_view.hpp"
#include "analysis/overlay_geometry.hpp"
#include "analysis/triage.hpp"

using namespace idm;
using namespace idm::analysis;

TEST_CASE("overlay geometry: a GT vector (+100, 0) is an arrow 1/10 of the video width long, pointing right, at every zoom") {
  const int video_width = 1728, video_height = 1080;
  for (double zoom : {1.0, 1.15, 2.0, 3.7, 10.0, 40.0}) {
    for (std::pair<double, double> pan : {std::pair{0.0, 0.0}, std::pair{-250.0, 130.0}}) {
      double pan_x = pan.first, pan_y = pan.second;  // not a structured binding: clang 14 cannot capture those
      CAPTURE(zoom);
      CAPTURE(pan_x);
      VideoToScreen to_screen = fit_video_to_panel(12, 40, 1100, 640, video_width, video_height, zoom, pan_x, pan_y);
      // The video's on-screen width, measured through the same transform.
      double video_width_on_screen = to_screen.apply({video_width, 0}).x - to_screen.apply({0, 0}).x;
      std::vector<ArrowSegment> arrows = chain_arrows({{7, 100, 0}}, {video_width / 2.0, video_height / 2.0}, 0, video_width, video_height);
      REQUIRE(arrows.size() == 1);
      Point tail = to_screen.apply(arrows[0].tail), head = to_screen.apply(arrows[0].head);
      CHECK(head.x - tail.x == doctest::Approx(video_width_on_screen * 100.0 / 1000.0));
      CHECK(head.x > tail.x);                         // pointing right
      CHECK(head.y == doctest::Approx(tail.y));       // and level
      // The tail sits on the anchor: the frame centre by default.
      Point centre = to_screen.apply({video_width / 2.0, video_height / 2.0});
      CHECK(tail.x == doctest::Approx(centre.x));
      CHECK(tail.y == doctest::Approx(centre.y));
      // Screen -> video inverts it (the click that places the anchor).
      Point back = to_screen.invert(head);
      CHECK(back.x == doctest::Approx(video_width / 2.0 + 172.8));
    }
  }
  // Vertical components scale with the height: (0, +100) is 108 video pixels down.
  std::vector<ArrowSegment> down = chain_arrows({{0, 0, 100}}, {0, 0}, 0, video_width, video_height);
  CHECK(down[0].head.y - down[0].tail.y == doctest::Approx(108.0));
}

TEST_CASE("arrow chain: head to tail in frame order, passing through the anchor at the anchor frame") {
  std::vector<FrameVector> vectors = {{5, 0, 100}, {2, 100, 0}, {9, -50, 0}, {5, 999, 999}};  // frame 5 twice: the first wins
  auto chain = chain_arrows(vectors, {500, 300}, 0, 1000, 1000);
  REQUIRE(chain.size() == 3);
  CHECK(chain[0].frame == 2);
  CHECK(chain[0].tail.x == doctest::Approx(500));
  CHECK(chain[1].tail.x == doctest::Approx(chain[0].head.x));
  CHECK(chain[1].head.y == doctest::Approx(400));
  CHECK(chain[2].head.x == doctest::Approx(550));
  // Anchored at frame 6: the chain position before frame 9's arrow is the anchor.
  auto at_six = chain_arrows(vectors, {10, 20}, 6, 1000, 1000);
  CHECK(at_six[2].tail.x == doctest::Approx(10));
  CHECK(at_six[2].tail.y == doctest::Approx(20));
  CHECK(at_six[0].tail.x == doctest::Approx(-90));
}

TEST_CASE("vector comparison: angle error in degrees and magnitude ratio") {
  VectorComparison right_angle = compare_vectors(100, 0, 0, 200);
  CHECK(*right_angle.angle_error_deg == doctest::Approx(90));
  CHECK(*right_angle.magnitude_ratio == doctest::Approx(2));
  VectorComparison opposite = compare_vectors(3, 4, -6, -8);
  CHECK(*opposite.angle_error_deg == doctest::Approx(180));
  CHECK(*opposite.magnitude_ratio == doctest::Approx(2));
  CHECK_FALSE(compare_vectors(0, 0, 5, 5).magnitude_ratio.has_value());
  CHECK_FALSE(compare_vectors(5, 5, 0, 0).angle_error_deg.has_value());
  CHECK(*compare_vectors(5, 5, 0, 0).magnitude_ratio == doctest::Approx(0));
}

namespace {

DatasetClipScore clip_with(std::vector<std::pair<int, Outcome>> gt, std::vector<std::pair<int, Outcome>> predictions) {
  DatasetClipScore clip;
  for (auto [frame, outcome] : gt) {
    GtOutcome item;
    item.item.action = {frame, ActionType::KeyPress, "A"};
    item.outcome = outcome;
    clip.evaluation.gt.push_back(item);
    clip.evaluation.total.fn += outcome == Outcome::FalseNegative;
  }
  for (auto [frame, outcome] : predictions) clip.evaluation.predictions.push_back({{frame, ActionType::KeyPress, "B"}, outcome, -1});
  return clip;
}

}  // namespace

TEST_CASE("triage: N/P walk misses of every source in browser order, wrapping around") {
  DatasetScore a, b;
  a.clips = {clip_with({{3, Outcome::FalseNegative}, {8, Outcome::TruePositive}}, {}), clip_with({}, {}),
             clip_with({}, {{12, Outcome::FalsePositive}, {1, Outcome::OutsideWindow}})};
  b.clips = {clip_with({}, {{20, Outcome::FalsePositive}}), clip_with({}, {}), clip_with({{4, Outcome::Excluded}}, {})};
  std::vector<const DatasetScore*> scores = {&a, &b};
  CHECK(miss_frames(scores, 0) == std::vector<int>{3, 20});
  CHECK(miss_frames(scores, 2) == std::vector<int>{12});
  std::vector<int> order = {2, 1, 0};  // the browser sorted backwards
  auto next = next_miss(scores, order, {2, 0}, +1);
  REQUIRE(next);
  CHECK((next->clip == 2 && next->frame == 12));
  next = next_miss(scores, order, *next, +1);
  CHECK((next->clip == 0 && next->frame == 3));
  next = next_miss(scores, order, *next, +1);
  CHECK((next->clip == 0 && next->frame == 20));
  next = next_miss(scores, order, *next, +1);  // wraps to the first clip in browser order
  CHECK((next->clip == 2 && next->frame == 12));
  auto previous = next_miss(scores, order, {2, 12}, -1);  // wraps backwards to the last
  REQUIRE(previous);
  CHECK((previous->clip == 0 && previous->frame == 20));
  previous = next_miss(scores, order, {0, 10}, -1);
  CHECK((previous->clip == 0 && previous->frame == 3));
  // A clip hidden by a filter is skipped.
  auto filtered = next_miss(scores, {0}, {2, 0}, +1);
  CHECK((filtered->clip == 0 && filtered->frame == 3));
  DatasetScore clean;
  clean.clips = {clip_with({}, {})};
  CHECK_FALSE(next_miss({&clean}, {0}, {0, 0}, +1).has_value());
}

TEST_CASE("confusion list: a missed GT key paired with the nearest hallucinated key of the same type") {
  DatasetScore score;
  score.profile.tolerance_frames = {2, 2, 2, 0};
  for (int clip = 0; clip < 3; ++clip) {
    DatasetClipScore item;
    GtOutcome gt;
    gt.item.action = {10, ActionType::KeyPress, "Cmd+Shift+P"};
    gt.outcome = Outcome::FalseNegative;
    item.evaluation.gt.push_back(gt);
    item.evaluation.predictions.push_back({{11, ActionType::KeyPress, "Shift+Cmd+P"}, Outcome::FalsePositive, -1});
    item.evaluation.predictions.push_back({{10, ActionType::MouseClick, "Left"}, Outcome::FalsePositive, -1});
    if (clip == 2) item.evaluation.predictions[0].action.detail = "P";
    score.clips.push_back(item);
  }
  // A scroll predicted with the right direction but 2 frames late: a timing miss, not listed.
  DatasetClipScore late;
  GtOutcome scroll;
  scroll.item.action = {5, ActionType::MouseScroll, "up"};
  scroll.outcome = Outcome::FalseNegative;
  late.evaluation.gt.push_back(scroll);
  late.evaluation.predictions.push_back({{7, ActionType::MouseScroll, "up"}, Outcome::FalsePositive, -1});
  score.clips.push_back(late);
  std::vector<Confusion> list = confusion_list(score);
  REQUIRE(list.size() == 2);
  CHECK(list[0].gt_detail == "Cmd+Shift+P");
  CHECK(list[0].predicted_detail == "Shift+Cmd+P");
  CHECK(list[0].count == 2);
  CHECK(list[1].predicted_detail == "P");
}

TEST_CASE("metrics view: tolerance overrides, per-type rows and A-vs-B deltas") {
  ScoringProfile profile;
  profile.scored = {true, true, false, false};
  ScoringProfile changed = with_tolerances(profile, {4, -1, 7, -1});
  CHECK(changed.tolerance_frames[0] == 4);
  CHECK(changed.tolerance_frames[1] == profile.tolerance_frames[1]);
  CHECK(changed.tolerance_frames[2] == 7);
  DatasetScore a, b;
  a.profile = b.profile = profile;
  a.source_name = "a";
  b.source_name = "b";
  a.per_type[0] = {3, 1, 0, 0};
  b.per_type[0] = {2, 0, 2, 0};
  a.overall = a.per_type[0];
  b.overall = b.per_type[0];
  auto metrics = build_source_metrics({&a, &b}, -1);
  REQUIRE(metrics.size() == 2);
  CHECK_FALSE(metrics[0].clip.has_value());
  REQUIRE(metrics[0].dataset.types.size() == 2);
  CHECK(metrics[0].dataset.types[0].prf.f1 == doctest::Approx(6.0 / 7.0));
  auto deltas = a_vs_b(metrics[0].dataset, metrics[1].dataset);
  CHECK(deltas[0].name == "KeyPress P");
  CHECK(*deltas[0].delta() == doctest::Approx(1.0 - 0.75));
  CHECK(*deltas[2].delta() == doctest::Approx(2.0 / 3.0 - 6.0 / 7.0));
  auto json = source_metrics_json(metrics, profile);
  CHECK(json["sources"][1]["dataset"]["per_type"]["KeyPress"]["fn"] == 2);
  CHECK_FALSE(json["sources"][0]["dataset"]["per_type"].contains("MouseScroll"));
}
