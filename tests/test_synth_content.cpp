// The sample dataset's videos show what its logs say. Frames come from the ffmpeg CLI
// (`-vf fps=5`, exactly what a model sees); the expectation comes only from each clip's raw
// log, replayed here by a small text-editor model written for this test (not the generator's
// simulation): the editor text read back from the pixels at every grid frame must equal the
// text the logged keys imply, and the document must scroll by exactly the logged wheel units.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

#include "io/clip_reader.hpp"
#include "media/font.hpp"
#include "synth/layout.hpp"
#include "synth/synth.hpp"
#include "video/frame_index.hpp"
#include "video/grid_map.hpp"

using namespace idm;
using namespace idm::synth;
using media::Font;

namespace {

constexpr int kWidth = 1728, kHeight = 1080, kFps = 30;
constexpr const char* kMonoFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

struct Frame {
  std::vector<uint8_t> rgb;
  uint8_t gray(int x, int y) const {
    const uint8_t* p = &rgb[(static_cast<size_t>(y) * kWidth + x) * 3];
    return static_cast<uint8_t>((p[0] * 3 + p[1] * 6 + p[2]) / 10);
  }
  bool magenta(int x, int y) const {
    const uint8_t* p = &rgb[(static_cast<size_t>(y) * kWidth + x) * 3];
    return p[0] > 180 && p[1] < 110 && p[2] > 180;
  }
};

// Grid frames exactly as `ffmpeg -i clip.mp4 -vf fps=5` gives them.
std::vector<Frame> ffmpeg_grid_frames(const std::filesystem::path& video) {
  std::string command = "ffmpeg -loglevel error -i '" + video.string() + "' -vf fps=5 -f rawvideo -pix_fmt rgb24 -";
  std::vector<Frame> frames;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return frames;
  const size_t frame_bytes = static_cast<size_t>(kWidth) * kHeight * 3;
  while (true) {
    Frame frame;
    frame.rgb.resize(frame_bytes);
    if (std::fread(frame.rgb.data(), 1, frame_bytes, pipe) != frame_bytes) break;
    frames.push_back(std::move(frame));
  }
  pclose(pipe);
  return frames;
}

// ---- The expectation: a text editor driven by the raw log (US layout, rdev key names). ----

std::optional<char> typed_char(const std::string& key, bool shift) {
  if (key.size() == 4 && key.starts_with("Key") && std::isupper(static_cast<unsigned char>(key[3]))) {
    return shift ? key[3] : static_cast<char>(std::tolower(static_cast<unsigned char>(key[3])));
  }
  if (key.size() == 4 && key.starts_with("Num") && std::isdigit(static_cast<unsigned char>(key[3]))) {
    return shift ? ")!@#$%^&*("[key[3] - '0'] : key[3];
  }
  static const std::map<std::string, std::pair<char, char>> punctuation = {
      {"Space", {' ', ' '}},     {"Comma", {',', '<'}},       {"Dot", {'.', '>'}},         {"SemiColon", {';', ':'}},
      {"Slash", {'/', '?'}},     {"Quote", {'\'', '"'}},      {"Minus", {'-', '_'}},       {"Equal", {'=', '+'}},
      {"LeftBracket", {'[', '{'}}, {"RightBracket", {']', '}'}}, {"BackQuote", {'`', '~'}}};
  if (auto it = punctuation.find(key); it != punctuation.end()) return shift ? it->second.second : it->second.first;
  return std::nullopt;
}

struct EditorModel {
  std::vector<std::string> lines{"Notes", "todo: ship the sample"};  // the sample's documented start
  bool shift = false, cmd = false, ctrl = false, alt = false;
  bool editor_front = true, palette = false, menu = false;
  bool selected = false;        // Cmd+A: highlighted, and the next typed key replaces everything
  bool log_unreliable = false;  // after UNCAPTURED, the log no longer tells everything
  int doc_units = 0;            // relative to the clip's (unknown) first offset; clamped later

  // A modifier whose first logged event is a release was held since before the clip: the log
  // has no press for it, but it acted on every key until that release.
  void assume_held_modifiers(const ClipLog& log) {
    std::vector<std::string> seen;
    for (const RawEvent& event : log.events) {
      if ((event.kind != EventKind::KeyPress && event.kind != EventKind::KeyRelease) || !event.payload_valid) continue;
      std::string family = event.name.starts_with("Shift") ? "Shift" : event.name.starts_with("Meta") ? "Meta"
                           : event.name.starts_with("Control") ? "Control" : event.name.starts_with("Alt") ? "Alt" : "";
      if (family.empty() || std::find(seen.begin(), seen.end(), family) != seen.end()) continue;
      seen.push_back(family);
      if (event.kind != EventKind::KeyRelease) continue;
      if (family == "Shift") shift = true;
      if (family == "Meta") cmd = true;
      if (family == "Control") ctrl = true;
      if (family == "Alt") alt = true;
    }
  }

  void apply(const RawEvent& event, int64_t& scroll_units) {
    if (event.kind == EventKind::ContextChanged && event.uncaptured) log_unreliable = true;
    if (event.kind == EventKind::MousePress && event.payload_valid) {
      if (event.name == "Right") menu = true;
      else if (event.name == "Left") {
        if (selected && !menu) log_unreliable = true;  // may deselect: depends on where the pointer is
        menu = false;
      }
    }
    if (event.kind == EventKind::MouseScroll && event.payload_valid) scroll_units += static_cast<int64_t>(event.y);
    if (event.kind != EventKind::KeyPress && event.kind != EventKind::KeyRelease) return;
    if (!event.payload_valid) return;
    bool down = event.kind == EventKind::KeyPress;
    const std::string& key = event.name;
    if (key.starts_with("Shift")) shift = down;
    else if (key.starts_with("Meta")) cmd = down;
    else if (key.starts_with("Control")) ctrl = down;
    else if (key.starts_with("Alt")) alt = down;
    if (!down || key.starts_with("Shift") || key.starts_with("Meta") || key.starts_with("Control") || key.starts_with("Alt")) return;
    if (cmd && key == "Tab") editor_front = !editor_front;
    else if (cmd && shift && key == "KeyP") palette = !palette;
    else if (cmd && key == "KeyA" && editor_front && !palette) selected = lines.size() > 1 || !lines.front().empty();
    else if (cmd || ctrl) return;
    else if (key == "Escape") palette = false;
    else if (!editor_front || palette) return;  // typed into something else: nothing drawn
    else if (selected && (key == "Return" || key == "Backspace" || typed_char(key, shift))) {
      selected = false;  // the selection is replaced by what is typed
      lines = {""};
      if (key == "Return") lines.emplace_back();
      else if (key != "Backspace") lines.back().push_back(*typed_char(key, shift));
    } else if (key == "Return") lines.emplace_back();
    else if (key == "Backspace") {
      if (!lines.back().empty()) lines.back().pop_back();
      else if (lines.size() > 1) lines.pop_back();
    } else if (auto c = typed_char(key, shift)) {
      lines.back().push_back(*c);
    }
  }
};

// ---- The observation: the editor text read back from the pixels, by glyph templates. ----

class EditorReader {
 public:
  EditorReader(const Layout& layout, std::string& error) : layout_(layout), font_(kMonoFont, layout.editor_font_px, error) {
    int inset = std::max(2, layout.editor_font_px / 2);
    area_ = {layout.editor.x + inset, layout.editor.y + inset, layout.editor.w - 2 * inset, layout.editor.h - 2 * inset};
    line_px_ = font_.pixel_height() + font_.pixel_height() / 4;
    advance_ = font_.text_width_px("M");
    for (int c = 32; c < 127; ++c) templates_.push_back({static_cast<char>(c), render(std::string(1, static_cast<char>(c)), false)});
    templates_.push_back({'|', render("", true)});  // the caret on an empty cell
  }
  int visible_lines() const { return std::max(1, area_.h / line_px_); }
  int columns() const { return area_.w / advance_; }

  // Reads line `row` of the editor; cells under the cursor sprite read as '?' (occluded).
  std::string read_line(const Frame& frame, int row, const Rect& occluded) const {
    std::string text;
    for (int column = 0; column < columns(); ++column) {
      Rect cell{area_.x + column * advance_, area_.y + row * line_px_, advance_, line_px_};
      bool hidden = cell.x < occluded.x + occluded.w && occluded.x < cell.x + cell.w && cell.y < occluded.y + occluded.h &&
                    occluded.y < cell.y + cell.h;
      text += hidden ? '?' : best_match(frame, cell);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '|')) text.pop_back();  // the caret ends a line
    return text;
  }

 private:
  struct Template {
    char c;
    std::vector<uint8_t> gray;  // advance x line_px
  };
  std::vector<uint8_t> render(const std::string& text, bool caret) const {
    Canvas canvas{advance_ * 2, line_px_, std::vector<uint8_t>(static_cast<size_t>(advance_) * 2 * line_px_ * 3, 255)};
    Rect clip{0, 0, advance_ * 2, line_px_};
    int pen = font_.draw(canvas, 0, font_.ascent_px(), text, Rgb{30, 30, 34}, clip);
    if (caret) canvas.fill({pen + 1, 0, std::max(2, layout_.editor_font_px / 12), font_.pixel_height()}, Rgb{30, 30, 34});
    std::vector<uint8_t> gray(static_cast<size_t>(advance_) * line_px_);
    for (int y = 0; y < line_px_; ++y) {
      for (int x = 0; x < advance_; ++x) {
        const uint8_t* p = &canvas.rgb[(static_cast<size_t>(y) * advance_ * 2 + x) * 3];
        gray[static_cast<size_t>(y) * advance_ + x] = static_cast<uint8_t>((p[0] * 3 + p[1] * 6 + p[2]) / 10);
      }
    }
    return gray;
  }
  char best_match(const Frame& frame, const Rect& cell) const {
    char best = '?';
    long best_error = -1;
    for (const Template& t : templates_) {
      long error = 0;
      for (int y = 0; y < cell.h && error < best_error + (best_error < 0 ? 1L << 40 : 0); ++y) {
        for (int x = 0; x < cell.w; ++x) {
          error += std::abs(int(frame.gray(cell.x + x, cell.y + y)) - int(t.gray[static_cast<size_t>(y) * advance_ + x]));
        }
      }
      if (best_error < 0 || error < best_error) {
        best_error = error;
        best = t.c;
      }
    }
    // A cell that matches no glyph well (an overlay, a wrong rendering) reads as '#'.
    return best_error > static_cast<long>(cell.w) * cell.h * 28 ? '#' : best;
  }

  const Layout& layout_;
  Font font_;
  Rect area_;
  int line_px_ = 0;
  int advance_ = 0;
  std::vector<Template> templates_;
};

// The cursor sprite's box (magenta fill plus its outline), or an empty rect.
Rect cursor_box(const Frame& frame, const Rect& region) {
  int x0 = kWidth, y0 = kHeight, x1 = -1, y1 = -1;
  for (int y = region.y; y < region.y + region.h; ++y) {
    for (int x = region.x; x < region.x + region.w; ++x) {
      if (frame.magenta(x, y)) {
        x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
      }
    }
  }
  if (x1 < 0) return {};
  int pad = 8;  // the dark outline and codec ringing around the fill
  return {x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad};
}

// Vertical shift (px) that best maps `later` onto `earlier` in the document pane:
// later(y) == earlier(y + shift). Rows are compared by coarse ink profiles (fast, and the
// cursor or a menu covering a few columns barely moves them).
int measured_scroll_px(const Frame& earlier, const Frame& later, const Rect& pane, int max_shift) {
  constexpr int kBins = 48;
  auto profile = [&](const Frame& frame) {
    std::vector<std::array<int, kBins>> rows(static_cast<size_t>(pane.h));
    for (int y = 0; y < pane.h; ++y) {
      rows[static_cast<size_t>(y)].fill(0);
      for (int x = 0; x < pane.w; ++x) {
        if (frame.gray(pane.x + x, pane.y + y) < 140) ++rows[static_cast<size_t>(y)][static_cast<size_t>(x * kBins / pane.w)];
      }
    }
    return rows;
  };
  auto a = profile(earlier), b = profile(later);
  int best_shift = 0;
  double best_cost = 1e300;
  for (int shift = -max_shift; shift <= max_shift; ++shift) {
    double cost = 0;
    int compared = 0;
    for (int y = 0; y < pane.h; ++y) {
      int source = y + shift;
      if (source < 0 || source >= pane.h) continue;
      for (int bin = 0; bin < kBins; ++bin) cost += std::abs(b[static_cast<size_t>(y)][static_cast<size_t>(bin)] - a[static_cast<size_t>(source)][static_cast<size_t>(bin)]);
      ++compared;
    }
    if (compared < pane.h / 3) continue;
    cost /= compared;
    if (cost < best_cost) {
      best_cost = cost;
      best_shift = shift;
    }
  }
  return best_shift;
}

struct Sample {
  std::filesystem::path root;
  std::vector<std::filesystem::path> clips;  // .json paths
};

const Sample& sample() {
  static Sample made = [] {
    Sample s;
    s.root = std::filesystem::temp_directory_path() / ("idmscope-synth-content-" + std::to_string(::getpid()));
    SynthOptions options;
    options.out_dir = s.root;
    options.clips = 6;  // one of each tag
    options.seed = 21;
    std::string error;
    if (!write_synthetic_dataset(options, error)) return s;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(s.root)) {
      std::string name = entry.path().filename().string();
      if (name.starts_with("clip_") && entry.path().extension() == ".json" && entry.path().string().find("/predictions/") == std::string::npos) {
        s.clips.push_back(entry.path());
      }
    }
    std::sort(s.clips.begin(), s.clips.end());
    return s;
  }();
  return made;
}

struct ClipFrames {
  ClipLog log;
  std::vector<Frame> frames;
  std::vector<int> shown_source;  // source frame index each grid frame shows
};

ClipFrames load_clip(const std::filesystem::path& json) {
  ClipFrames clip;
  std::string error;
  REQUIRE_MESSAGE(read_clip_file(json, clip.log, error), error);
  auto video = std::filesystem::path(json).replace_extension(".mp4");
  clip.frames = ffmpeg_grid_frames(video);
  FrameIndex index;
  REQUIRE_MESSAGE(build_frame_index(video, index, error), error);
  GridMap map = build_grid_map(index, 5.0);
  REQUIRE(map.length() == static_cast<int>(clip.frames.size()));
  clip.shown_source = map.source_frame_index;
  // The recorder's order is not always time order.
  std::stable_sort(clip.log.events.begin(), clip.log.events.end(), [](const RawEvent& a, const RawEvent& b) { return a.ts_us < b.ts_us; });
  return clip;
}

// Source frame n of the video (at n / fps into the clip) shows every event logged up to then.
bool shown_by(const RawEvent& event, const ClipLog& log, int source_frame) {
  return std::llround(event.ts_us - log.start_s * 1e6) * kFps <= static_cast<int64_t>(source_frame) * 1'000'000;
}

}  // namespace

TEST_CASE("synth content: the editor text in every ffmpeg grid frame is the text the logged keys typed") {
  const Sample& s = sample();
  REQUIRE(s.clips.size() == 6);
  Layout layout = make_layout(kWidth, kHeight);
  std::string error;
  EditorReader reader(layout, error);
  REQUIRE_MESSAGE(error.empty(), error);
  int frames_checked = 0, characters_seen_typed = 0, selected_frames = 0;
  for (const auto& json : s.clips) {
    CAPTURE(json.filename().string());
    ClipFrames clip = load_clip(json);
    REQUIRE(clip.frames.size() == 25);
    EditorModel model;
    model.assume_held_modifiers(clip.log);
    size_t next_event = 0;
    int64_t scroll_units = 0;
    size_t typed_before = 0;
    for (size_t k = 0; k < clip.frames.size(); ++k) {
      while (next_event < clip.log.events.size() && shown_by(clip.log.events[next_event], clip.log, clip.shown_source[k])) {
        model.apply(clip.log.events[next_event++], scroll_units);
      }
      if (model.log_unreliable) break;  // keys typed while not recording: the log cannot say
      if (!model.editor_front || model.palette || model.menu) continue;  // the editor is covered
      if (model.selected) {  // highlighted text: the templates are on white; count it, check the rest
        ++selected_frames;
        continue;
      }
      CAPTURE(k);
      Rect cursor = cursor_box(clip.frames[k], layout.editor);
      int visible = reader.visible_lines();
      size_t first = model.lines.size() > static_cast<size_t>(visible) ? model.lines.size() - static_cast<size_t>(visible) : 0;
      for (size_t line = first; line < model.lines.size(); ++line) {
        std::string seen = reader.read_line(clip.frames[k], static_cast<int>(line - first), cursor);
        std::string expected = model.lines[line].substr(0, static_cast<size_t>(reader.columns()));
        // Occluded cells ('?') match anything; everything else must be exactly the typed text.
        bool same = true;
        for (size_t i = 0; same && i < std::max(seen.size(), expected.size()); ++i) {
          char want = i < expected.size() ? expected[i] : ' ';
          char got = i < seen.size() ? seen[i] : ' ';
          // '?' is occluded; the caret ('|') stands in the cell after the text.
          same = got == '?' || got == want || (got == '|' && want == ' ' && i == expected.size());
        }
        CHECK_MESSAGE(same, "line " << line << ": read '" << seen << "', the log typed '" << expected << "'");
      }
      size_t typed = 0;
      for (const std::string& line : model.lines) typed += line.size() + 1;
      characters_seen_typed += static_cast<int>(typed > typed_before ? typed - typed_before : 0);
      typed_before = typed;
      ++frames_checked;
    }
  }
  MESSAGE("editor frames checked: " << frames_checked << ", characters appearing: " << characters_seen_typed
                                     << ", frames with everything selected (skipped): " << selected_frames);
  CHECK(frames_checked > 60);
  CHECK(characters_seen_typed > 40);  // the check saw real typing, not only the starting text
}

TEST_CASE("synth content: the document scrolls by exactly the logged wheel units between grid frames") {
  const Sample& s = sample();
  REQUIRE(s.clips.size() == 6);
  Layout layout = make_layout(kWidth, kHeight);
  const int max_units = std::max(0, (120 * layout.doc_line_px - layout.document.h) / layout.scroll_px_per_unit);
  int moving_pairs = 0, pairs = 0;
  for (const auto& json : s.clips) {
    CAPTURE(json.filename().string());
    ClipFrames clip = load_clip(json);
    // Logged units per grid frame (positive dy is up: towards the top of the document).
    std::vector<int64_t> wheel_by_frame(clip.frames.size(), 0);
    std::vector<bool> document_shown(clip.frames.size(), true);
    EditorModel model;
    model.assume_held_modifiers(clip.log);
    size_t next_event = 0;
    for (size_t k = 0; k < clip.frames.size(); ++k) {
      int64_t units = 0;
      while (next_event < clip.log.events.size() && shown_by(clip.log.events[next_event], clip.log, clip.shown_source[k])) {
        model.apply(clip.log.events[next_event++], units);
      }
      wheel_by_frame[k] = units;
      document_shown[k] = model.editor_front && !model.palette && !model.menu;  // not covered by an overlay
    }
    // The first offset is not in the log: it must be the one (0..max) under which every
    // measured shift equals the logged wheel units, clamped at the document's ends.
    std::vector<int> measured(clip.frames.size(), 0);
    for (size_t k = 1; k < clip.frames.size(); ++k) {
      if (document_shown[k] && document_shown[k - 1]) measured[k] = measured_scroll_px(clip.frames[k - 1], clip.frames[k], layout.document, layout.document.h / 2);
    }
    std::vector<int> fitting;
    for (int first_offset = 0; first_offset <= max_units; ++first_offset) {
      int offset = std::clamp<int>(first_offset - static_cast<int>(wheel_by_frame[0]), 0, max_units);
      bool fits = true;
      for (size_t k = 1; k < clip.frames.size() && fits; ++k) {
        int next = std::clamp<int>(offset - static_cast<int>(wheel_by_frame[k]), 0, max_units);
        if (document_shown[k] && document_shown[k - 1]) fits = measured[k] == (next - offset) * layout.scroll_px_per_unit;
        offset = next;
      }
      if (fits) fitting.push_back(first_offset);
    }
    std::string shifts;
    for (size_t k = 1; k < measured.size(); ++k) {
      shifts += std::to_string(measured[k]) + "/" + std::to_string(wheel_by_frame[k]) + " ";
      if (document_shown[k] && document_shown[k - 1]) {
        ++pairs;
        moving_pairs += measured[k] != 0;
      }
    }
    CHECK_MESSAGE(!fitting.empty(), "measured px / logged units per grid frame: " << shifts);
  }
  MESSAGE("frame pairs compared: " << pairs << ", with the document moving: " << moving_pairs);
  CHECK(moving_pairs >= 4);  // the sample really scrolls, so the check can fail
}
