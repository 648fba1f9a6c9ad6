// Inference building blocks: PNG writer, downscale, label burn-in, window merge (spec §7),
// answer parsing, the prediction store, the baseline on drawn frames, text helpers,
// Retry-After, and inference runs against the fake worker (faults reach the snapshot and the
// store; the owner polls and cancels while the run thread works).
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "infer/baseline.hpp"
#include "infer/frame_pipeline.hpp"
#include "infer/infer_run.hpp"
#include "infer/prediction_store.hpp"
#include "infer/retry_after.hpp"
#include "infer/secrets.hpp"
#include "infer/text_util.hpp"
#include "infer/window_merge.hpp"
#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"
#include "worker/messages.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
#pragma GCC diagnostic pop

using namespace idm;
using namespace idm::infer;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("idmscope-infer-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

FrameImage solid(int width, int height, uint8_t value) {
  FrameImage image;
  image.width = width;
  image.height = height;
  image.rgba.assign(static_cast<size_t>(width) * height * 4, value);
  for (size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
  return image;
}

struct Patch {
  int x = 0, y = 0, width = 0, height = 0;
  uint8_t value = 0;
};

// A desktop-like grey frame: a "page" of text stripes in a pane (scrolled by offset_px),
// flat patches (buttons, a caret, a letter) and an arrow pointer (dark outline, light fill) at
// (cursor_x, cursor_y), drawn over them.
GrayImage desktop(int offset_px, int cursor_x, int cursor_y, const std::vector<Patch>& patches = {}) {
  GrayImage image;
  image.width = 1728;
  image.height = 1080;
  image.pixels.assign(static_cast<size_t>(image.width) * image.height, 200);
  for (int y = 100; y < 1000; ++y) {
    int page_y = y + offset_px;
    for (int x = 900; x < 1600; ++x) {
      int line = page_y / 36;  // lines of text, each its own length
      bool ink = page_y % 36 < 16 && x < 1000 + (line * 137) % 560 && ((x / 7) * 31 + line) % 5 != 0 && (x % 7) < 5;
      image.pixels[static_cast<size_t>(y) * image.width + x] = ink ? 30 : 250;
    }
  }
  for (const Patch& patch : patches) {
    for (int y = patch.y; y < patch.y + patch.height; ++y) {
      for (int x = patch.x; x < patch.x + patch.width; ++x) image.pixels[static_cast<size_t>(y) * image.width + x] = patch.value;
    }
  }
  for (int row = 0; row < 34; ++row) {
    int width = row / 2 + 1;
    for (int col = 0; col < width && row < 30; ++col) {
      bool edge = col == 0 || col == width - 1 || row == 29;
      image.pixels[static_cast<size_t>(cursor_y + row) * image.width + cursor_x + col] = edge ? 10 : 140;
    }
  }
  return image;
}

}  // namespace

TEST_CASE("png writer: decodes to the same pixels") {
  FrameImage image = solid(37, 21, 0);
  for (size_t i = 0; i < image.rgba.size(); ++i) image.rgba[i] = static_cast<uint8_t>(i * 7 + i / 13);
  std::string png = encode_png(image);
  REQUIRE(png.size() > 8);
  int width = 0, height = 0, channels = 0;
  unsigned char* decoded = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()), static_cast<int>(png.size()), &width,
                                                 &height, &channels, 4);
  REQUIRE(decoded);
  CHECK(width == 37);
  CHECK(height == 21);
  CHECK(std::equal(image.rgba.begin(), image.rgba.end(), decoded));
  stbi_image_free(decoded);
}

TEST_CASE("downscale: area average to the max edge, copy when already small") {
  FrameImage image = solid(4, 2, 0);
  // left half 0, right half 200 -> 2x1 of 0 and 200
  for (int y = 0; y < 2; ++y) {
    for (int x = 2; x < 4; ++x) image.rgba[(y * 4 + x) * 4] = 200;
  }
  FrameImage small = downscale_to_max_edge(image.rgba.data(), 4, 2, 16, 2);
  CHECK(small.width == 2);
  CHECK(small.height == 1);
  CHECK(small.rgba[0] == 0);
  CHECK(small.rgba[4] == 200);
  FrameImage same = downscale_to_max_edge(image.rgba.data(), 4, 2, 16, 0);
  CHECK(same.width == 4);
  CHECK(same.rgba == image.rgba);
}

TEST_CASE("label burn-in: white text on black in the top-left corner only") {
  std::string error;
  LabelBurner burner(error);
  REQUIRE_MESSAGE(burner.ok(), error);
  FrameImage image = solid(640, 400, 128);
  burner.burn(image, "F07");
  int white = 0, changed_far = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      uint8_t value = image.rgba[(static_cast<size_t>(y) * image.width + x) * 4];
      if (value > 200) ++white;
      if ((x > 120 || y > 60) && value != 128) ++changed_far;
    }
  }
  CHECK(white > 20);
  CHECK(changed_far == 0);
  CHECK(frame_label(7) == "F07");
  CHECK(frame_label(12) == "F12");
}

TEST_CASE("window merge: local labels become global, only kept frames, earlier window wins") {
  WindowSpec spec;  // 10 / 5 / 2..7
  std::vector<std::optional<nlohmann::json>> answers(4);
  answers[0] = nlohmann::json::parse(R"([{"frame":"F01","type":"KeyPress","details":"A"},
                                         {"frame":"F02","type":"KeyPress","details":"B","extra":1},
                                         {"frame":"F07","type":"MouseClick","details":"Left"}, 5])");
  answers[1] = nlohmann::json::parse(R"([{"frame":"F02","type":"KeyPress","details":"C"},
                                         {"frame":"F03","type":"KeyPress","details":"D"},
                                         {"frame":" f7 ","type":"KeyPress","details":"E"}])");
  // window 2 not answered (failed): its frames stay empty
  answers[3] = nlohmann::json::parse(R"([{"frame":"F07","type":"KeyPress","details":"F"},
                                         {"frame":"F09","type":"KeyPress","details":"G"}])");
  MergedAnswer merged = merge_window_answers(answers, 25, spec);
  std::vector<std::string> got;
  for (const auto& item : merged.items) got.push_back(item["frame"].get<std::string>() + ":" + item["details"].get<std::string>());
  CHECK(got == std::vector<std::string>{"F02:B", "F07:Left", "F08:D", "F12:E", "F22:F"});
  CHECK(merged.items[0]["extra"] == 1);       // unknown keys survive
  CHECK(merged.dropped_unreadable == 1);      // the bare 5
  CHECK(merged.dropped_outside == 3);         // F01 of w0, F02 (=F07) of w1, F09 (=F24) of w3
}

TEST_CASE("answer parsing uses the reference parser: think tags, fences, prose") {
  CHECK(answer_items("<think>maybe [1]</think>```json\n[{\"frame\":\"F02\"}]\n```").size() == 1);
  CHECK(answer_items("Here you go: [{\"frame\":\"F03\"}] done").size() == 1);
  CHECK(answer_items("no idea").empty());
  CHECK(answer_items("{\"frame\":\"F03\"}").empty());
}

TEST_CASE("text helpers: base64, template, hash") {
  CHECK(base64_encode("Man") == "TWFu");
  CHECK(base64_encode("Ma") == "TWE=");
  CHECK(base64_encode("M") == "TQ==");
  CHECK(base64_encode("") == "");
  CHECK(fill_template("{{n}} frames {{first}}..{{last}} {{unknown}}", {{"n", "10"}, {"first", "F00"}, {"last", "F09"}}) ==
        "10 frames F00..F09 {{unknown}}");
  CHECK(content_hash("abc") == content_hash("abc"));
  CHECK(content_hash("abc") != content_hash("abd"));
  CHECK(content_hash("").size() == 16);
}

TEST_CASE("retry-after: the three HTTP-date forms name the same instant") {
  using namespace std::chrono;
  const sys_seconds expected{784111777s};  // Sun, 06 Nov 1994 08:49:37 UTC
  const system_clock::time_point now = sys_days(2025y / 6 / 1);
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", now) == expected);       // IMF-fixdate
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now) == expected);      // RFC 850
  CHECK(parse_http_date("Sun Nov  6 08:49:37 1994", now) == expected);            // asctime
  CHECK(parse_http_date("Sun Nov 06 08:49:37 1994", now) == expected);            // asctime, zero-padded day
  CHECK(parse_http_date("Thu, 29 Feb 2024 23:59:60 GMT", now) == sys_days(2024y / 3 / 1) + 0s);  // leap day, leap second
  // RFC 850's two-digit year: up to 50 years ahead stays in this century, beyond is the last one.
  CHECK(parse_http_date("Monday, 01-Jan-75 00:00:00 GMT", now) == sys_days(2075y / 1 / 1) + 0s);
  CHECK(parse_http_date("Monday, 01-Jan-76 00:00:00 GMT", now) == sys_days(1976y / 1 / 1) + 0s);
  CHECK(parse_http_date("Monday, 01-Jan-26 00:00:00 GMT", now) == sys_days(2026y / 1 / 1) + 0s);
}

TEST_CASE("retry-after: garbage and near misses are not dates") {
  using namespace std::chrono;
  const system_clock::time_point now = sys_days(2025y / 6 / 1);
  for (const char* text : {"", " ", "soon", "GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37", "Sun, 6 Nov 1994 08:49:37 GMT",
                           "Sun, 06 Nov 94 08:49:37 GMT", "Sun 06 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT", "sun, 06 Nov 1994 08:49:37 GMT",
                           "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 29 Feb 2023 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
                           "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT extra",
                           "Sun, 00 Nov 1994 08:49:37 GMT", "Sun, 06 Nox 1994 08:49:37 GMT", "Sund, 06 Nov 1994 08:49:37 GMT",
                           "Sun, 06-Nov-94 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 06/Nov/94 08:49:37 GMT",
                           "Sun Nov 6 08:49:37 94", "Sun Nov 123 08:49:37 1994", "Sunday Nov  6 08:49:37 1994"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_http_date(text, now).has_value());
    CHECK_FALSE(retry_after_delay_s(text, now).has_value());
  }
  for (const char* text : {"-1", "+3", "1e3", "0x10", "1.", ".5", "1.2.3", "3 s", "inf", "nan", "3,5"}) {
    CAPTURE(text);
    CHECK_FALSE(retry_after_delay_s(text, now).has_value());
  }
}

TEST_CASE("retry-after: delay from now, past dates retry at once, absurd waits are capped") {
  using namespace std::chrono;
  const sys_seconds date{784111777s};
  const system_clock::time_point now = date - 2500ms;
  CHECK(retry_after_delay_s("Sun, 06 Nov 1994 08:49:37 GMT", now) == doctest::Approx(2.5));
  CHECK(retry_after_delay_s("Sunday, 06-Nov-94 08:49:37 GMT", now) == doctest::Approx(2.5));
  CHECK(retry_after_delay_s("Sun Nov  6 08:49:37 1994", now) == doctest::Approx(2.5));
  CHECK(retry_after_delay_s("Sun, 06 Nov 1994 08:49:37 GMT", date) == 0.0);                 // this very second
  CHECK(retry_after_delay_s("Sun, 06 Nov 1994 08:49:37 GMT", date + hours(24)) == 0.0);     // the past: now
  CHECK(retry_after_delay_s("Sun, 06 Nov 1994 09:49:37 GMT", now) == kMaxRetryAfterS);      // an hour ahead
  CHECK(retry_after_delay_s("Fri, 31 Dec 9999 23:59:59 GMT", now) == kMaxRetryAfterS);
  CHECK(retry_after_delay_s("3", now) == 3.0);
  CHECK(retry_after_delay_s("0", now) == 0.0);
  CHECK(retry_after_delay_s("1.5", now) == 1.5);
  CHECK(retry_after_delay_s("3600", now) == kMaxRetryAfterS);
  CHECK(retry_after_delay_s("99999999999999999999999999", now) == kMaxRetryAfterS);
}

TEST_CASE("retry-after: surrounding whitespace and line ends are ignored") {
  using namespace std::chrono;
  const system_clock::time_point now = sys_seconds{784111777s} - 2s;
  CHECK(retry_after_delay_s("  3 \r\n", now) == 3.0);
  CHECK(retry_after_delay_s("\t7\t", now) == 7.0);
  CHECK(retry_after_delay_s(" Sun, 06 Nov 1994 08:49:37 GMT\r\n", now) == 2.0);
  CHECK(retry_after_delay_s("\tSunday, 06-Nov-94 08:49:37 GMT \r\n", now) == 2.0);
  CHECK(retry_after_delay_s(" Sun Nov  6 08:49:37 1994\r\n", now) == 2.0);
  CHECK(parse_http_date("Sun,  06 Nov 1994   08:49:37 GMT", now) == sys_seconds{784111777s});  // runs of spaces inside
  CHECK_FALSE(retry_after_delay_s("\r\n", now).has_value());
  CHECK_FALSE(retry_after_delay_s("3 3", now).has_value());
}

TEST_CASE("prediction store: atomic clip files, run.json keeps unknown keys, loads as a prediction source") {
  auto root = fresh_dir("store");
  std::string error;
  PredictionStore store;
  CHECK_FALSE(store.open(root, "../evil", error));
  CHECK(error.find("run name") != std::string::npos);
  REQUIRE(store.open(root, "run1", error));
  store.run()["my_note"] = "keep me";
  nlohmann::json predictions = nlohmann::json::parse(R"([{"frame":"F03","type":"KeyPress","details":"A"}])");
  REQUIRE(store.save_clip("rec/clip_000_a", "partial", predictions, {{"windows", nlohmann::json::array()}}, error));
  CHECK_FALSE(store.clip_complete("rec/clip_000_a"));
  REQUIRE(store.save_clip("rec/clip_000_a", "complete", predictions, {{"windows", nlohmann::json::array()}}, error));
  CHECK(store.clip_complete("rec/clip_000_a"));
  CHECK(std::filesystem::is_regular_file(root / ".idmscope/predictions/run1/rec/clip_000_a.json"));

  PredictionStore again;
  REQUIRE(again.open(root, "run1", error));
  CHECK(again.run()["my_note"] == "keep me");
  CHECK(again.clip_complete("rec/clip_000_a"));

  Dataset dataset;
  dataset.root = root;
  PredictionSet set;
  REQUIRE(load_prediction_source(run_dir(root, "run1"), dataset, set, error));
  CHECK(set.warnings.empty());  // run.json is not mistaken for a clip
  REQUIRE(set.by_clip.count("rec/clip_000_a") == 1);
  CHECK(set.by_clip["rec/clip_000_a"].size() == 1);
  CHECK(set.by_clip["rec/clip_000_a"][0].frame_label == "F03");

  // An unreadable run.json is reported and never overwritten.
  std::ofstream(run_dir(root, "broken") / "run.json", std::ios::binary) << "{oops";
  std::filesystem::create_directories(run_dir(root, "broken"));
  std::ofstream(run_dir(root, "broken") / "run.json", std::ios::binary) << "{oops";
  PredictionStore broken;
  CHECK_FALSE(broken.open(root, "broken", error));
  CHECK(error.find("run.json") != std::string::npos);
  CHECK(read_file(run_dir(root, "broken") / "run.json") == "{oops");
  std::filesystem::remove_all(root);
}

TEST_CASE("dataset discovery skips the prediction store") {
  auto root = fresh_dir("discover");
  std::filesystem::create_directories(root / ".idmscope/predictions/r/rec");
  std::ofstream(root / ".idmscope/predictions/r/rec/clip_000_a.json") << R"({"clip":"rec/clip_000_a","predictions":[]})";
  Dataset dataset;
  std::string error;
  REQUIRE(load_dataset(root, DatasetLoadOptions{false}, dataset, error));
  CHECK(dataset.clips.empty());
  std::filesystem::remove_all(root);
}

TEST_CASE("baseline: a scrolled page and a moved pointer") {
  GrayImage a = desktop(0, 300, 400);
  GrayImage b = desktop(72, 340, 425);  // page moved up 72 px (scrolled down), pointer +40,+25
  PairMotion motion = estimate_pair_motion(a, b);
  CHECK(motion.scroll_px == 72);
  REQUIRE(motion.cursor_found);
  CHECK(motion.cursor_dx_px == doctest::Approx(40).epsilon(0.01));
  CHECK(motion.cursor_dy_px == doctest::Approx(25).epsilon(0.01));

  GrayImage up = desktop(0, 300, 400);
  GrayImage upper = desktop(-36, 300, 400);
  CHECK(estimate_pair_motion(up, upper).scroll_px == -36);
  CHECK(estimate_pair_motion(up, up).scroll_px == 0);
  CHECK_FALSE(estimate_pair_motion(up, up).cursor_found);

  // A window: still, still, scroll+move, scroll (same direction: one event), still.
  std::vector<GrayImage> frames{desktop(0, 300, 400), desktop(0, 300, 400), desktop(72, 340, 425), desktop(144, 340, 425),
                                desktop(144, 340, 425)};
  nlohmann::json answer = baseline_window_answer(frames);
  int scrolls = 0, moves = 0;
  for (const auto& item : answer) {
    if (item["type"] == "MouseScroll") {
      ++scrolls;
      CHECK(item["frame"] == "F02");
      CHECK(item["details"] == "down");
    }
    if (item["type"] == "MouseMove") {
      ++moves;
      CHECK(item["frame"] == "F02");
      // The path is 0, 0, 40, 40, 40 (x): GT frame 2 starts 1/6 of a slot after frame 1's time,
      // where the path (flat at both samples) has risen by 40 * (3u^2 - 2u^3) = 2.96 px, and
      // ends after frame 2's time, on the flat: 37.04 px, /1728*1000 -> 21; y: 23.15/1080 -> 21.
      CHECK(item["details"] == "21,21");
    }
  }
  CHECK(scrolls == 1);
  CHECK(moves == 1);
}

TEST_CASE("baseline: a wheel unit of an odd number of pixels is still a scroll") {
  // 27 px per unit at 800p: the shift is judged at full resolution, not halved.
  CHECK(estimate_pair_motion(desktop(0, 300, 400), desktop(27, 300, 400)).scroll_px == 27);
  CHECK(estimate_pair_motion(desktop(27, 300, 400), desktop(0, 300, 400)).scroll_px == -27);
  CHECK(estimate_pair_motion(desktop(0, 300, 400), desktop(135, 300, 400)).scroll_px == 135);
}

TEST_CASE("baseline: monotone cubic path between grid frames") {
  CHECK(monotone_cubic(0, 10, 20, 30, 0.0) == doctest::Approx(10));
  CHECK(monotone_cubic(0, 10, 20, 30, 1.0) == doctest::Approx(20));
  CHECK(monotone_cubic(0, 10, 20, 30, 0.25) == doctest::Approx(12.5));  // steady steps: a straight line
  // A start from rest: flat tangent at the resting sample, so the curve stays between the two
  // samples and rises slowly at first (3u^2 - 2u^3 of the step).
  for (double u = 0.0; u <= 1.0; u += 0.125) {
    double p = monotone_cubic(0, 0, 40, 40, u);
    CHECK(p >= 0.0);
    CHECK(p <= 40.0);
  }
  CHECK(monotone_cubic(0, 0, 40, 40, 1.0 / 6.0) == doctest::Approx(40 * (3.0 / 36 - 2.0 / 216)));
  CHECK(monotone_cubic(0, 10, 0, 10, 0.5) == doctest::Approx(5));  // turning points: flat tangents
}

TEST_CASE("baseline: GT frame motion from the pointer's path") {
  std::vector<double> steady{0, 10, 20, 30, 40, 50};
  for (int f = 2; f <= 3; ++f) CHECK(gt_frame_motion(steady, f) == doctest::Approx(10));  // away from the ends
  // Every unit of motion lands in some GT frame: summed over the path, nothing is lost.
  std::vector<double> path{0, 0, 5, 60, 180, 230, 240, 240, 240};
  double total = 0;
  for (int f = 0; f < static_cast<int>(path.size()) + 2; ++f) total += gt_frame_motion(path, f);
  CHECK(total == doctest::Approx(240));
  // With no lead, GT frame f is exactly the change from frame f-1 to f.
  CHECK(gt_frame_motion(path, 4, 0.0) == doctest::Approx(120));
  CHECK(gt_frame_motion({}, 0) == 0.0);
}

TEST_CASE("baseline: the pointer is tracked onto a button that changes and stays put while a caret moves") {
  Patch button_up{560, 420, 130, 40, 215}, button_down{560, 420, 130, 40, 90};
  Patch caret{100, 700, 2, 24, 20}, caret_moved{112, 700, 2, 24, 20}, letter{101, 704, 9, 16, 40};
  std::vector<GrayImage> frames{
      desktop(0, 300, 400, {button_up, caret}),
      desktop(0, 340, 425, {button_up, caret}),           // a clean move: the pointer's look
      desktop(0, 600, 430, {button_down, caret}),         // lands on the button, which turns dark
      desktop(0, 600, 430, {button_down, letter, caret_moved}),  // a letter typed: the caret moves
      desktop(0, 605, 433, {button_down, letter, caret_moved}),  // a nudge on the button
  };
  // Pair by pair, the landing merges with the button and is lost.
  CHECK_FALSE(estimate_pair_motion(frames[1], frames[2]).cursor_found);
  std::vector<double> path_x{0, 40, 300, 300, 305}, path_y{0, 25, 30, 30, 33};
  std::map<std::string, std::string> moves;
  for (const auto& item : baseline_window_answer(frames)) {
    if (item["type"] == "MouseMove") moves[item["frame"]] = item["details"];
  }
  auto expected = [&](int f) {
    return std::to_string(std::lround(gt_frame_motion(path_x, f) / 1728 * 1000)) + "," +
           std::to_string(std::lround(gt_frame_motion(path_y, f) / 1080 * 1000));
  };
  CHECK(moves.size() == 3);
  CHECK(moves["F01"] == expected(1));
  CHECK(moves["F02"] == expected(2));
  CHECK(moves.count("F03") == 0);  // the caret moved, the pointer did not
  CHECK(moves["F04"] == expected(4));
}

// The owner thread's side of InferRun (what the CLI's progress bar and the GUI panel do) racing
// the run thread: CI runs this under ThreadSanitizer.
TEST_CASE("inference run: the owner polls snapshots and cancels while the run thread works") {
  auto root = fresh_dir("cancel");
  InferRunOptions options;
  options.dataset_root = root;
  options.clips = {{"rec/clip_000_a", root / "rec/clip_000_a.mp4"}, {"rec/clip_001_b", root / "rec/clip_001_b.mp4"}};
  options.run_name = "cancelled";
  options.backend = {{"name", "baseline"}};
  options.worker.argv = {IDMSCOPE_FAKE_WORKER, "slow-run"};  // answers after 10 s unless cancelled
  options.worker.heartbeat_interval_ms = 50;
  options.max_clips_in_flight = 1;
  InferRun run(options);
  std::string error;
  REQUIRE(run.start(error));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool running = false;
  int polls = 0;
  while (!running && std::chrono::steady_clock::now() < deadline) {
    InferRunSnapshot snapshot = run.snapshot();
    ++polls;
    running = snapshot.clips.at(0).status == ClipRunStatus::Running;
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(running);
  auto asked = std::chrono::steady_clock::now();
  run.cancel();
  while (!run.finished() && std::chrono::steady_clock::now() < deadline) {
    polls += static_cast<int>(run.snapshot().clips.size() > 0);  // keep reading while it winds down
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(run.wait(5000));
  CHECK(std::chrono::steady_clock::now() - asked < std::chrono::seconds(2));
  InferRunSnapshot snapshot = run.snapshot();
  CHECK(snapshot.failure.empty());
  CHECK(snapshot.cancelled == 2);  // the running clip (the worker confirmed) and the queued one
  CHECK(snapshot.clips.at(0).error == "cancelled");
  CHECK(polls > 1);
  nlohmann::json record = nlohmann::json::parse(read_file(run_dir(root, "cancelled") / "run.json"));
  CHECK(record["clips"]["rec/clip_000_a"]["status"] == "cancelled");
  std::filesystem::remove_all(root);
}

TEST_CASE("inference run: a crashing worker fails the clips with its error, and the store says so") {
  auto root = fresh_dir("run");
  InferRunOptions options;
  options.dataset_root = root;
  options.clips = {{"rec/clip_000_a", root / "rec/clip_000_a.mp4"}, {"rec/clip_001_b", root / "rec/clip_001_b.mp4"}};
  options.run_name = "crashy";
  options.backend = {{"name", "baseline"}};
  options.worker.argv = {IDMSCOPE_FAKE_WORKER, "crash-on-run"};
  options.worker.heartbeat_interval_ms = 50;
  InferRun run(options);
  std::string error;
  REQUIRE(run.start(error));
  REQUIRE(run.wait(10000));
  InferRunSnapshot snapshot = run.snapshot();
  CHECK(snapshot.failure.find("killed by signal 6") != std::string::npos);
  CHECK(snapshot.failed == 2);
  for (const auto& clip : snapshot.clips) CHECK(clip.error.find("worker") != std::string::npos);
  CHECK_FALSE(snapshot.log.empty());
  nlohmann::json record = nlohmann::json::parse(read_file(run_dir(root, "crashy") / "run.json"));
  CHECK(record["clips"]["rec/clip_000_a"]["status"] == "failed");

  // A healthy worker completes both; a second run skips them (no requests).
  options.run_name = "fine";
  options.worker.argv = {IDMSCOPE_FAKE_WORKER, "ok"};
  {
    InferRun ok(options);
    REQUIRE(ok.start(error));
    REQUIRE(ok.wait(10000));
    CHECK(ok.snapshot().complete == 2);
  }
  InferRun resumed(options);
  REQUIRE(resumed.start(error));
  REQUIRE(resumed.wait(10000));
  CHECK(resumed.snapshot().skipped == 2);
  CHECK(resumed.snapshot().complete == 0);
  std::filesystem::remove_all(root);
}

TEST_CASE("answers scored as [] say why: empty, no array, cut off; a real [] is fine") {
  CHECK(read_answer("[]").problem.empty());
  CHECK(read_answer("```json\n[{\"frame\": \"F01\"}]\n```").problem.empty());
  CHECK(read_answer("Nothing happens here: []").problem.empty());  // the reference finds the array
  CHECK(read_answer("").problem == "empty answer");
  CHECK(read_answer("  \n\t").problem == "empty answer");
  CHECK(read_answer("I cannot see any frames.").problem == "no JSON array in the answer");
  ReadAnswer cut = read_answer("[{\"frame\": \"F01\", \"type\": \"MouseClick\"}, {\"frame\": \"F0");
  CHECK(cut.problem == "no JSON array in the answer");
  CHECK(cut.items == nlohmann::json::array());
}

TEST_CASE("worker requests are checked field by field before the worker reads them") {
  nlohmann::json run{{"type", "run"}, {"id", 1}, {"clip", {{"key", "r/clip_000"}, {"video", "/v.mp4"}}}, {"backend", {{"name", "baseline"}}},
                     {"frames", {{"max_edge_px", 640}, {"burn_labels", true}}}, {"windows", {{"size", 10}, {"stride", 5}, {"keep_first", 2}, {"keep_last", 7}}}};
  std::string error;
  CHECK(worker::validate_request(run, error));
  auto rejects = [&](nlohmann::json request, const std::string& field) {
    CAPTURE(request.dump());
    std::string why;
    CHECK_FALSE(worker::validate_request(request, why));
    CHECK(why.find(field) == 0);
  };
  nlohmann::json bad = run;
  bad["clip"]["key"] = 3;
  rejects(bad, "run.clip.key: expected a string, got number 3");
  bad = run;
  bad["clip"] = "x";
  rejects(bad, "run.clip: expected an object");
  bad = run;
  bad["windows"]["size"] = 0;
  rejects(bad, "run.windows.size: 0 is outside 1..1000");
  bad = run;
  bad["frames"]["burn_labels"] = "yes";
  rejects(bad, "run.frames.burn_labels");
  bad = run;
  bad["frames"] = nullptr;
  rejects(bad, "run.frames: expected an object, got null");
  bad = run;
  bad.erase("backend");
  rejects(bad, "run.backend: missing");
  rejects({{"type", "cancel"}, {"id", "all"}}, "cancel.id");
  CHECK(worker::validate_request({{"type", "cancel"}}, error));
  CHECK(worker::validate_request({{"type", "something-new"}, {"x", 1}}, error));  // answered by the worker as unknown
  // The rollout request (protocol 2) and its result.
  nlohmann::json rollout{{"type", "rollout"}, {"id", 2}, {"trajectory", "loop_easy/run_1__traj_5"}, {"command", {"/bin/model", "--x"}},
                         {"timeout_s", 30}, {"expected_frames", 360}, {"input", {{"out_dir", "/tmp/o"}, {"actions", {"no_op"}}}}};
  CHECK(worker::validate_request(rollout, error));
  bad = rollout;
  bad["command"] = nlohmann::json::array();
  rejects(bad, "rollout.command: expected the program");
  bad = rollout;
  bad["input"].erase("out_dir");
  rejects(bad, "rollout.input.out_dir: missing");
  bad = rollout;
  bad["expected_frames"] = 0;
  rejects(bad, "rollout.expected_frames: 0 is outside");
  bad = rollout;
  bad["timeout_s"] = "soon";
  rejects(bad, "rollout.timeout_s: expected a number");
  nlohmann::json result{{"type", "rollout_result"}, {"id", 2}, {"trajectory", "loop_easy/run_1__traj_5"}, {"frames", 360},
                        {"includes_context", false}, {"fps", 16.0}, {"files", "png"}};
  CHECK(worker::validate_event(result, error));
  result["frames"] = "many";
  CHECK_FALSE(worker::validate_event(result, error));
  CHECK(error.find("rollout_result.frames") == 0);
}

TEST_CASE("secrets: a registered key and any Bearer token are scrubbed from text") {
  register_secret("sk-test-0123456789");
  CHECK(scrub_secrets("HTTP 401: {\"received\": \"Authorization: Bearer sk-test-0123456789\"}") ==
        "HTTP 401: {\"received\": \"Authorization: Bearer [redacted]\"}");
  CHECK(scrub_secrets("key=sk-test-0123456789;") == "key=[redacted];");
  CHECK(scrub_secrets("Authorization: Bearer other-proxy-token-xyz") == "Authorization: Bearer [redacted]");
  CHECK(scrub_secrets("nothing secret, Bearer abc") == "nothing secret, Bearer abc");  // too short to be a token
  register_secret("ab");  // too short to register: it would mask ordinary text
  CHECK(scrub_secrets("abc") == "abc");
}

TEST_CASE("inference run: a malformed worker message fails that clip with the field named; the next clip completes") {
  auto root = fresh_dir("malformed");
  InferRunOptions options;
  options.dataset_root = root;
  options.clips = {{"rec/clip_000_a", root / "rec/clip_000_a.mp4"}, {"rec/clip_001_b", root / "rec/clip_001_b.mp4"}};
  options.run_name = "malformed";
  options.backend = {{"name", "baseline"}};
  options.worker.heartbeat_interval_ms = 50;
  options.max_clips_in_flight = 1;
  struct Case {
    nlohmann::json event;
    std::string field;
  };
  for (const Case& bad : std::vector<Case>{{{{"type", "progress"}, {"stage", "windows"}, {"done", 0}, {"total", "x"}}, "progress.total"},
                                           {{{"type", "clip_result"}, {"failed_windows", "many"}}, "clip_result.failed_windows"},
                                           {{{"type", "error"}, {"message", 12345}}, "error.message"}}) {
    const nlohmann::json& event = bad.event;
    const std::string& field = bad.field;
    CAPTURE(field);
    options.worker.argv = {IDMSCOPE_FAKE_WORKER, "send-on-first-run=" + event.dump()};
    options.run_name = "malformed-" + field;
    InferRun run(options);
    std::string error;
    REQUIRE(run.start(error));
    REQUIRE(run.wait(10000));
    InferRunSnapshot snapshot = run.snapshot();
    CHECK(snapshot.failure.empty());
    CHECK(snapshot.failed == 1);
    CHECK(snapshot.complete == 1);
    CHECK(snapshot.clips.at(0).status == ClipRunStatus::Failed);
    CHECK(snapshot.clips.at(0).error.find(field) != std::string::npos);
    CHECK(snapshot.clips.at(1).status == ClipRunStatus::Complete);
    nlohmann::json record = nlohmann::json::parse(read_file(run_dir(root, options.run_name) / "run.json"));
    CHECK(record["clips"]["rec/clip_000_a"]["status"] == "failed");
  }
  std::filesystem::remove_all(root);
}

TEST_CASE("prediction store as a source: unfinished clips are left out of scores, bad answers are counted") {
  auto root = fresh_dir("status");
  PredictionStore store;
  std::string error;
  REQUIRE(store.open(root, "r", error));
  nlohmann::json one = nlohmann::json::array({{{"frame", "F02"}, {"type", "KeyPress"}, {"details", "A"}}});
  REQUIRE(store.save_clip("rec/clip_000_a", "complete", one, {{"bad_answers", 2}}, error));
  REQUIRE(store.save_clip("rec/clip_001_b", "failed", one, {{"error", "boom"}}, error));
  REQUIRE(store.save_clip("rec/clip_002_c", "partial", one, nlohmann::json::object(), error));
  REQUIRE(store.save_clip("rec/clip_003_d", "complete", one, {{"bad_answers", 0}}, error));
  PredictionSet set;
  Dataset none;
  REQUIRE(load_prediction_source(store.dir(), none, set, error));
  CHECK(set.by_clip.size() == 4);  // the viewer still shows what an unfinished clip has so far
  CHECK(set.excluded.size() == 2);
  CHECK(set.excluded["rec/clip_001_b"].find("inference failed") != std::string::npos);
  CHECK(set.excluded["rec/clip_002_c"].find("did not finish") != std::string::npos);
  CHECK(set.bad_answers.size() == 1);
  CHECK(set.bad_answers["rec/clip_000_a"] == 2);
  CHECK(set.warnings.size() == 3);
  std::filesystem::remove_all(root);
}
