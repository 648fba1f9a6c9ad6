#include "overlay.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace idm::gui {

namespace {

using analysis::ArrowSegment;
using analysis::Point;

ImVec2 to_imvec(Point point) { return ImVec2(static_cast<float>(point.x), static_cast<float>(point.y)); }

void draw_arrow(ImDrawList* draw, ImVec2 tail, ImVec2 head, ImU32 colour, float thickness) {
  float dx = head.x - tail.x, dy = head.y - tail.y;
  float length = std::sqrt(dx * dx + dy * dy);
  if (length < 0.5f) {
    draw->AddCircle(tail, thickness + 2, colour, 12, thickness * 0.6f);  // a zero vector: a ring
    return;
  }
  draw->AddLine(tail, head, colour, thickness);
  float ux = dx / length, uy = dy / length;
  float size = std::min(length * 0.45f, 6.0f + 2.5f * thickness);
  ImVec2 left(head.x - ux * size - uy * size * 0.5f, head.y - uy * size + ux * size * 0.5f);
  ImVec2 right(head.x - ux * size + uy * size * 0.5f, head.y - uy * size - ux * size * 0.5f);
  draw->AddTriangleFilled(head, left, right, colour);
}

ImU32 with_alpha(ImU32 colour, int alpha) { return (colour & ~IM_COL32_A_MASK) | (static_cast<ImU32>(std::clamp(alpha, 0, 255)) << IM_COL32_A_SHIFT); }

// A label box; `placed` holds the boxes already drawn this frame: a label that would cover one
// moves down below it (then up, at the bottom edge), with a leader line back to its point.
void label(ImDrawList* draw, ImVec2 at, ImU32 colour, const char* text, ImVec2 clip_max, std::vector<ImVec4>* placed = nullptr) {
  ImVec2 size = ImGui::CalcTextSize(text);
  ImVec2 wanted = at;
  at.x = std::min(at.x, clip_max.x - size.x - 6);  // kept inside the video
  at.y = std::min(at.y, clip_max.y - size.y - 4);
  if (placed) {
    auto overlaps = [&](ImVec2 p) {
      for (const ImVec4& box : *placed) {
        if (p.x - 3 < box.z && p.x + size.x + 3 > box.x && p.y - 1 < box.w && p.y + size.y + 1 > box.y) return true;
      }
      return false;
    };
    for (int attempt = 0; attempt < 8 && overlaps(at); ++attempt) at.y += size.y + 4;
    if (at.y > clip_max.y - size.y - 4) {
      at.y = std::min(wanted.y, clip_max.y - size.y - 4);
      for (int attempt = 0; attempt < 8 && overlaps(at); ++attempt) at.y -= size.y + 4;
    }
    placed->push_back(ImVec4(at.x - 3, at.y - 1, at.x + size.x + 3, at.y + size.y + 1));
    if (std::fabs(at.y - wanted.y) > size.y) draw->AddLine(ImVec2(wanted.x - 6, wanted.y + 8), ImVec2(at.x - 3, at.y + size.y / 2), colour, 1.0f);
  }
  draw->AddRectFilled(ImVec2(at.x - 3, at.y - 1), ImVec2(at.x + size.x + 3, at.y + size.y + 1), IM_COL32(0, 0, 0, 185), 3.0f);
  draw->AddText(at, colour, text);
}

// One set of arrows (GT or a source): faint full chain, fading trail, highlighted current one.
void draw_chain(ImDrawList* draw, const std::vector<ArrowSegment>& chain, ImU32 colour, int current_frame, const OverlaySettings& settings,
                const analysis::VideoToScreen& to_screen) {
  for (const ArrowSegment& segment : chain) {
    ImVec2 tail = to_imvec(to_screen.apply(segment.tail)), head = to_imvec(to_screen.apply(segment.head));
    int age = current_frame - segment.frame;  // 0 = the current frame
    // Every arrow gets a dark outline under it, so white GT arrows show on light windows too.
    if (age == 0 && settings.highlight) {
      draw_arrow(draw, tail, head, IM_COL32(0, 0, 0, 200), 6.0f);
      draw_arrow(draw, tail, head, colour, 3.5f);
    } else if (settings.trail && age > 0 && age <= settings.trail_frames) {
      int alpha = 230 - age * 170 / (settings.trail_frames + 1);
      draw_arrow(draw, tail, head, IM_COL32(0, 0, 0, alpha * 3 / 4), 4.0f);
      draw_arrow(draw, tail, head, with_alpha(colour, alpha), 2.0f);
    } else if (settings.whole_chain) {
      draw_arrow(draw, tail, head, IM_COL32(0, 0, 0, 70), 2.5f);
      draw_arrow(draw, tail, head, with_alpha(colour, 110), 1.0f);
    }
  }
}

const ArrowSegment* segment_at(const std::vector<ArrowSegment>& chain, int frame) {
  for (const ArrowSegment& segment : chain) {
    if (segment.frame == frame) return &segment;
  }
  return nullptr;
}

ImU32 outcome_badge_colour(Outcome outcome) {
  switch (outcome) {
    case Outcome::TruePositive: return IM_COL32(50, 160, 75, 235);   // matched
    case Outcome::FalseNegative: return IM_COL32(200, 55, 55, 235);  // missed
    case Outcome::FalsePositive: return IM_COL32(225, 135, 25, 235);  // hallucinated
    default: return IM_COL32(90, 90, 100, 200);                      // neutral, excluded, outside windows
  }
}

std::string badge_text(const Action& action) {
  char text[160];
  switch (action.type) {
    case ActionType::MouseClick: std::snprintf(text, sizeof text, "F%02d click %s", action.frame, action.detail.c_str()); break;
    case ActionType::MouseScroll: std::snprintf(text, sizeof text, "F%02d scroll %s", action.frame, action.detail.empty() ? "?" : action.detail.c_str()); break;
    default: std::snprintf(text, sizeof text, "F%02d %s", action.frame, action.detail.c_str()); break;
  }
  return text;
}

// A row of badges; returns the x after the last one.
float badge(ImDrawList* draw, float x, float y, const std::string& text, ImU32 fill, bool current, float max_x) {
  ImVec2 size = ImGui::CalcTextSize(text.c_str());
  if (x + size.x + 10 > max_x) return x;
  draw->AddRectFilled(ImVec2(x, y), ImVec2(x + size.x + 10, y + size.y + 6), fill, 4.0f);
  if (current) draw->AddRect(ImVec2(x, y), ImVec2(x + size.x + 10, y + size.y + 6), IM_COL32(255, 255, 255, 255), 4.0f, 0, 2.0f);
  draw->AddText(ImVec2(x + 5, y + 3), IM_COL32(255, 255, 255, 255), text.c_str());
  return x + size.x + 16;
}

constexpr int kKeycastReach = 2;  // frames either side of the current one

void draw_keycast(ImDrawList* draw, const OverlayScene& scene, ImVec2 video_min, ImVec2 video_max, ImVec2 clip_min, ImVec2 clip_max) {
  float row_height = ImGui::GetTextLineHeight() + 10;
  size_t rows = std::max<size_t>(1, scene.evaluations.size());
  float left = std::max(video_min.x, clip_min.x) + 10;
  float right = std::min(video_max.x, clip_max.x) - 60;
  float y = std::min(video_max.y, clip_max.y) - 10 - row_height * static_cast<float>(rows);
  auto near = [&](int frame) { return std::abs(frame - scene.grid_frame) <= kKeycastReach; };
  for (size_t row = 0; row < rows; ++row) {
    const ClipEvaluation* evaluation = scene.evaluations.empty() ? scene.gt_only : scene.evaluations[row];
    std::string name = scene.evaluations.empty() ? "GT" : scene.source_names[row];
    float x = badge(draw, left, y, name, scene.evaluations.empty() ? IM_COL32(60, 60, 70, 230) : with_alpha(source_colour(row), 230), false, right);
    if (evaluation) {
      bool full = false;  // once a badge does not fit, the row is full: stop (a clip may hold a million predictions)
      for (const GtOutcome& gt : evaluation->gt) {
        if (full) break;
        if (gt.item.action.type == ActionType::MouseMove || !near(gt.item.action.frame)) continue;
        ImU32 fill = scene.evaluations.empty() ? IM_COL32(60, 110, 200, 235) : outcome_badge_colour(gt.outcome);
        float next = badge(draw, x, y, badge_text(gt.item.action), fill, gt.item.action.frame == scene.grid_frame, right);
        full = next == x;
        x = next;
      }
      for (const PredictionOutcome& prediction : evaluation->predictions) {
        if (full) break;
        if (prediction.action.type == ActionType::MouseMove || prediction.outcome != Outcome::FalsePositive || !near(prediction.action.frame)) continue;
        float next = badge(draw, x, y, "? " + badge_text(prediction.action), outcome_badge_colour(prediction.outcome), prediction.action.frame == scene.grid_frame, right);
        full = next == x;
        x = next;
      }
    }
    y += row_height;
  }
}

void draw_scroll_gauge(ImDrawList* draw, const OverlayScene& scene, ImVec2 video_min, ImVec2 video_max, ImVec2 clip_min, ImVec2 clip_max) {
  double scale_max = 1.0;
  auto widen = [&](const analysis::ClipMotion& motion) {
    for (const auto& scroll : motion.scrolls) {
      if (scroll.magnitude) scale_max = std::max(scale_max, std::fabs(*scroll.magnitude));
    }
  };
  widen(scene.gt);
  for (const auto& source : scene.sources) widen(source);
  bool any_scroll = !scene.gt.scrolls.empty();
  for (const auto& source : scene.sources) any_scroll = any_scroll || !source.scrolls.empty();
  if (!any_scroll) return;  // nothing to gauge in this clip: keep the video clear
  size_t bars = 1 + scene.sources.size();
  float bar_width = 14, gap = 4;
  float width = static_cast<float>(bars) * (bar_width + gap) + 8;
  float right = std::min(video_max.x, clip_max.x) - 10;
  float top = std::max(video_min.y, clip_min.y) + 40, bottom = std::min(video_max.y, clip_max.y) - 60;
  if (bottom - top < 60) return;
  float left = right - width, middle = (top + bottom) / 2, half = (bottom - top) / 2 - 16;
  draw->AddRectFilled(ImVec2(left, top), ImVec2(right, bottom), IM_COL32(0, 0, 0, 150), 4.0f);
  draw->AddLine(ImVec2(left + 2, middle), ImVec2(right - 2, middle), IM_COL32(200, 200, 200, 200));
  draw->AddText(ImVec2(left + 2, top + 1), IM_COL32(220, 220, 220, 255), "up");
  draw->AddText(ImVec2(left + 2, bottom - ImGui::GetTextLineHeight() - 1), IM_COL32(220, 220, 220, 255), "dn");
  for (size_t bar = 0; bar < bars; ++bar) {
    const analysis::ClipMotion& motion = bar == 0 ? scene.gt : scene.sources[bar - 1];
    ImU32 colour = bar == 0 ? gt_colour() : source_colour(bar - 1);
    float x = left + 4 + static_cast<float>(bar) * (bar_width + gap);
    const analysis::FrameScrollValue* scroll = motion.scroll_at(scene.grid_frame);
    if (!scroll) continue;
    if (scroll->magnitude) {
      float length = static_cast<float>(*scroll->magnitude / scale_max) * half;  // positive = down
      draw->AddRectFilled(ImVec2(x, std::min(middle, middle + length)), ImVec2(x + bar_width, std::max(middle, middle + length) + 1), colour);
    } else if (scroll->direction != 0) {  // direction only: an arrowhead at the track's end
      float tip = middle + static_cast<float>(scroll->direction) * half;
      draw->AddTriangleFilled(ImVec2(x + bar_width / 2, tip), ImVec2(x, tip - scroll->direction * 10.0f), ImVec2(x + bar_width, tip - scroll->direction * 10.0f), colour);
    }
  }
}

}  // namespace

ImU32 gt_colour(int alpha) { return IM_COL32(255, 255, 255, alpha); }

ImU32 source_colour(size_t source, int alpha) {
  static const ImU32 palette[] = {IM_COL32(60, 200, 255, 255), IM_COL32(255, 90, 200, 255), IM_COL32(255, 210, 60, 255),
                                  IM_COL32(140, 255, 110, 255)};
  return with_alpha(palette[source % 4], alpha);
}

OverlayScene make_overlay_scene(const Dataset& dataset, int clip_index, const std::vector<const PredictionSet*>& sources,
                                const std::vector<const ClipEvaluation*>& evaluations, const ClipEvaluation* gt_only, int grid_frame,
                                int grid_frames, double fps, const ClipMotions* motions) {
  OverlayScene scene;
  scene.grid_frame = grid_frame;
  scene.grid_frames = grid_frames;
  scene.gt_only = gt_only;
  scene.evaluations = evaluations;
  if (clip_index < 0 || static_cast<size_t>(clip_index) >= dataset.clips.size()) return scene;
  const DatasetClip& clip = dataset.clips[static_cast<size_t>(clip_index)];
  scene.video_width_px = clip_width(clip);
  scene.video_height_px = clip_height(clip);
  if (!clip.loaded) return scene;
  for (const PredictionSet* source : sources) scene.source_names.push_back(source->name);
  bool usable = motions && motions->sources.size() == sources.size();
  ClipMotions computed = usable ? ClipMotions{} : compute_clip_motions(dataset, clip_index, sources, fps);
  const ClipMotions& chosen = usable ? *motions : computed;
  scene.gt = chosen.gt;  // one entry per frame at most: cheap to copy
  scene.sources = chosen.sources;
  return scene;
}

void draw_overlays(ImDrawList* draw, const OverlayScene& scene, const OverlaySettings& settings, const analysis::VideoToScreen& to_screen,
                   ImVec2 clip_min, ImVec2 clip_max) {
  draw->PushClipRect(clip_min, clip_max, true);
  ImVec2 video_min = to_imvec(to_screen.apply({0, 0}));
  ImVec2 video_max = to_imvec(to_screen.apply({static_cast<double>(scene.video_width_px), static_cast<double>(scene.video_height_px)}));
  Point anchor = settings.anchor_set ? Point{settings.anchor_x_px, settings.anchor_y_px}
                                     : Point{scene.video_width_px / 2.0, scene.video_height_px / 2.0};
  int anchor_frame = settings.anchor_follows_frame ? scene.grid_frame : 0;
  auto chain_of = [&](const analysis::ClipMotion& motion) {
    return analysis::chain_arrows(motion.moves, anchor, anchor_frame, scene.video_width_px, scene.video_height_px);
  };
  std::vector<ArrowSegment> gt_chain = chain_of(scene.gt);
  std::vector<std::vector<ArrowSegment>> source_chains;
  for (const auto& source : scene.sources) source_chains.push_back(chain_of(source));

  // Gauge and badges first: arrows and their labels stay on top.
  if (settings.scroll_gauge) draw_scroll_gauge(draw, scene, video_min, video_max, clip_min, clip_max);
  if (settings.keycast) draw_keycast(draw, scene, video_min, video_max, clip_min, clip_max);
  if (settings.source_arrows) {
    for (size_t s = 0; s < source_chains.size(); ++s) draw_chain(draw, source_chains[s], source_colour(s), scene.grid_frame, settings, to_screen);
  }
  if (settings.gt_arrows) draw_chain(draw, gt_chain, gt_colour(), scene.grid_frame, settings, to_screen);
  // The anchor: a small cross.
  if (settings.gt_arrows || settings.source_arrows) {
    ImVec2 at = to_imvec(to_screen.apply(anchor));
    draw->AddLine(ImVec2(at.x - 6, at.y), ImVec2(at.x + 6, at.y), IM_COL32(255, 255, 0, 220), 1.5f);
    draw->AddLine(ImVec2(at.x, at.y - 6), ImVec2(at.x, at.y + 6), IM_COL32(255, 255, 0, 220), 1.5f);
  }
  // Angle error and magnitude ratio of each source's current arrow against GT's.
  if (settings.highlight && settings.source_arrows) {
    std::vector<ImVec4> placed_labels;
    const analysis::FrameVector* gt_vector = scene.gt.move_at(scene.grid_frame);
    for (size_t s = 0; s < scene.sources.size(); ++s) {
      const analysis::FrameVector* predicted = scene.sources[s].move_at(scene.grid_frame);
      const ArrowSegment* segment = segment_at(source_chains[s], scene.grid_frame);
      if (!predicted || !segment) continue;
      char text[96];
      if (!gt_vector) std::snprintf(text, sizeof text, "%s: no GT move", scene.source_names[s].c_str());
      else {
        analysis::VectorComparison comparison = analysis::compare_vectors(gt_vector->dx, gt_vector->dy, predicted->dx, predicted->dy);
        char angle[24] = "-", ratio[24] = "-";
        if (comparison.angle_error_deg) std::snprintf(angle, sizeof angle, "%.0f deg", *comparison.angle_error_deg);
        if (comparison.magnitude_ratio) std::snprintf(ratio, sizeof ratio, "x%.2f", *comparison.magnitude_ratio);
        std::snprintf(text, sizeof text, "%s: %s  %s", scene.source_names[s].c_str(), angle, ratio);
      }
      ImVec2 head = to_imvec(to_screen.apply(segment->head));
      label(draw, ImVec2(head.x + 8, head.y - 8), source_colour(s), text, clip_max, &placed_labels);
    }
  }
  draw->PopClipRect();
}

}  // namespace idm::gui
