// Key and button holds for the timeline: press/release pairing on real log JSON.
#include <doctest/doctest.h>

#include <simdjson.h>

#include "io/clip_reader.hpp"
#include "model/holds.hpp"

using namespace idm;

namespace {

ClipLog read_log(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root = parser.parse(padded).value();
  ClipLog log;
  std::string error;
  REQUIRE_MESSAGE(decode_clip_object(root, "$", "actions", DecodeOptions{}, log, error), error);
  return log;
}

}  // namespace

TEST_CASE("holds: press/release pairs, auto-repeat, keys held across both clip edges, mouse buttons") {
  // Out of file order on purpose; start_s 100 s, end 105 s.
  ClipLog log = read_log(R"({"start_s": 100, "end_s": 105, "actions": [
    [100500000, ["KeyPress", [0, "ShiftLeft"]]],
    [100900000, ["KeyRelease", [0, "ShiftLeft"]]],
    [100600000, ["KeyPress", [0, "KeyA"]]],
    [100650000, ["KeyPress", [0, "KeyA"]]],
    [100700000, ["KeyPress", [0, "KeyA"]]],
    [100800000, ["KeyRelease", [0, "KeyA"]]],
    [100200000, ["KeyRelease", [0, "MetaLeft"]]],
    [104000000, ["KeyPress", [0, "Backspace"]]],
    [101000000, ["MousePress", ["Left", 10, 20]]],
    [101300000, ["MouseRelease", ["Left", 12, 20]]],
    [101100000, ["MouseMove", [3.5, -1.0]]]
  ]})");
  std::vector<HoldSpan> spans = hold_spans(log);
  REQUIRE(spans.size() == 5);
  CHECK(spans[0].name == "MetaLeft");  // released 0.2 s in, never pressed in the clip
  CHECK(spans[0].open_start);
  CHECK(spans[0].press_us == doctest::Approx(100000000));
  CHECK(spans[0].release_us == doctest::Approx(100200000));
  CHECK(spans[1].name == "ShiftLeft");
  CHECK(spans[1].press_us == doctest::Approx(100500000));
  CHECK(spans[1].release_us == doctest::Approx(100900000));
  CHECK_FALSE(spans[1].open_start);
  CHECK_FALSE(spans[1].open_end);
  CHECK(spans[2].name == "KeyA");
  CHECK(spans[2].repeats == 2);  // two auto-repeat presses, one hold
  CHECK(spans[2].release_us == doctest::Approx(100800000));
  CHECK(spans[3].mouse_button);
  CHECK(spans[3].name == "Left");
  CHECK(spans[3].release_us - spans[3].press_us == doctest::Approx(300000));
  CHECK(spans[4].name == "Backspace");  // still held when the clip ends
  CHECK(spans[4].open_end);
  CHECK(spans[4].release_us == doctest::Approx(105000000));
}
