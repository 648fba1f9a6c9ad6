// The RSV window body: browser on the left; on the right the video (a pair: A, B and |A - B|
// side by side) beside the pose minimap, and under them the Timeline / Endpoints / Log tabs.
#include <algorithm>
#include <cmath>

#include "../png_writer.hpp"
#include "rsv/image_metrics.hpp"
#include "rsv_panels.hpp"
#include "status_bar.hpp"

namespace idm::gui {

namespace {

std::vector<uint8_t> rgba_of(const RgbFrame& frame) {
  std::vector<uint8_t> rgba(static_cast<size_t>(frame.width) * frame.height * 4);
  for (size_t i = 0, n = static_cast<size_t>(frame.width) * frame.height; i < n; ++i) {
    rgba[i * 4 + 0] = frame.rgb[i * 3 + 0];
    rgba[i * 4 + 1] = frame.rgb[i * 3 + 1];
    rgba[i * 4 + 2] = frame.rgb[i * 3 + 2];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

std::string member_title(const rsv::LoadedMember& member) {
  if (member.files.name.is_pair) return std::string(1, member.files.name.role) + "   traj " + std::to_string(member.files.name.tid);
  return "traj " + std::to_string(member.files.name.tid);
}

void draw_transport(const AppState& state, CommandQueue& commands) {
  const RsvState& rsv = state.rsv;
  if (ImGui::Button(rsv.playing ? "Pause" : "Play", ImVec2(56, 0))) commands.push_back(cmd::RsvTogglePlay{});
  ImGui::SameLine();
  int per_step = rsv.frames_per_step();
  ImGui::Text("frame %3d / %d   step %2d  (+%d)   16 fps", rsv.frame, std::max(0, rsv.frame_count() - 1), rsv.frame / per_step, rsv.frame % per_step);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  int go_to = rsv.frame;
  if (ImGui::InputInt("go to", &go_to, 1, 9, ImGuiInputTextFlags_EnterReturnsTrue)) commands.push_back(cmd::RsvSeek{go_to});
  ImGui::SameLine();
  ImGui::TextDisabled("Left/Right frame  PgUp/PgDn step  O partner  X |A-B|  B blink");
}

}  // namespace

void upload_rsv_frame(RsvTexture& slot, const std::shared_ptr<const RgbFrame>& frame) {
  if (!frame || slot.source == frame.get()) return;
  std::vector<uint8_t> rgba = rgba_of(*frame);
  slot.texture.upload(rgba.data(), frame->width, frame->height);
  slot.source = frame.get();
}

void upload_rsv_difference(RsvTexture& slot, const std::shared_ptr<const RgbFrame>& a, const std::shared_ptr<const RgbFrame>& b, float gain) {
  if (!a || !b || a->width != b->width || a->height != b->height) return;
  if (slot.source == a.get() && slot.source_b == b.get() && slot.key == gain) return;
  size_t pixels = static_cast<size_t>(a->width) * a->height;
  std::vector<uint8_t> rgba(pixels * 4);
  double sum = 0.0;
  for (size_t i = 0; i < pixels; ++i) {
    for (int c = 0; c < 3; ++c) {
      int d = std::abs(static_cast<int>(a->rgb[i * 3 + c]) - static_cast<int>(b->rgb[i * 3 + c]));
      sum += d;
      rgba[i * 4 + c] = static_cast<uint8_t>(std::min(255.0f, static_cast<float>(d) * gain));
    }
    rgba[i * 4 + 3] = 255;
  }
  slot.texture.upload(rgba.data(), a->width, a->height);
  slot.source = a.get();
  slot.source_b = b.get();
  slot.key = gain;
  slot.mean_level = pixels ? sum / (3.0 * static_cast<double>(pixels)) : 0.0;
}

void draw_rsv_image(const RsvTexture& slot, ImVec2 size, const char* empty_text) {
  if (slot.texture.empty() || size.x < 8 || size.y < 8) {
    ImGui::Dummy(ImVec2(std::max(8.0f, size.x), std::max(8.0f, size.y)));
    ImGui::GetWindowDrawList()->AddText(ImVec2(ImGui::GetItemRectMin().x + 8, ImGui::GetItemRectMin().y + 8), IM_COL32(160, 160, 160, 255), empty_text);
    return;
  }
  float aspect = static_cast<float>(slot.texture.width()) / static_cast<float>(slot.texture.height());
  ImVec2 fitted(size.x, size.x / aspect);
  if (fitted.y > size.y) fitted = ImVec2(size.y * aspect, size.y);
  ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(slot.texture.id())), fitted);
}

void draw_rsv_main(const AppState& state, RsvUi& ui, NotificationUi& notifications, CommandQueue& commands) {
  const RsvState& rsv = state.rsv;
  ImVec2 size = ImGui::GetContentRegionAvail();
  float browser_width = std::clamp(size.x * 0.36f, 300.0f, size.x - 400.0f);
  ImGui::BeginChild("rsv_browser", ImVec2(browser_width, 0), true);
  draw_rsv_browser(state, ui, commands);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("rsv_right", ImVec2(0, 0), false);
  float right_height = ImGui::GetContentRegionAvail().y;
  const rsv::LoadedItem* loaded = rsv.current_item();
  // The frames shown now: from the cache (decoded by tasks), uploaded when they change.
  std::shared_ptr<const RgbFrame> frame_a, frame_b;
  if (loaded && !loaded->members.empty()) {
    frame_a = rsv.cache.find(loaded->members[0].files.key, rsv.frame);
    if (loaded->members.size() > 1) frame_b = rsv.cache.find(loaded->members[1].files.key, rsv.frame);
  }
  upload_rsv_frame(ui.frame_a, frame_a);
  upload_rsv_frame(ui.frame_b, frame_b);
  if (frame_a) ui.shown = frame_a;
  bool pair = loaded && loaded->members.size() == 2;
  if (pair && rsv.show_difference) upload_rsv_difference(ui.difference, frame_a, frame_b, ui.gain);

  float top_height = right_height * 0.55f;
  float minimap_width = std::min(340.0f, ImGui::GetContentRegionAvail().x * 0.36f);
  ImGui::BeginChild("rsv_video", ImVec2(-minimap_width, top_height), true, ImGuiWindowFlags_NoScrollbar);
  if (!loaded) {
    ImGui::TextDisabled("choose a trajectory or pair in the browser");
  } else {
    ImGui::Text("%s   %s", loaded->item ? loaded->item->key.c_str() : "?", loaded->relation.c_str());
    if (loaded->members.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.3f, 1), "no readable member (see the Log)");
    ImVec2 avail = ImGui::GetContentRegionAvail();
    // A pair: A and B side by side, |A - B| under A; a single trajectory: one pane.
    int columns = pair ? 2 : 1;
    int rows = pair && rsv.show_difference ? 2 : 1;
    float title_height = ImGui::GetTextLineHeightWithSpacing();
    float pane_width = (avail.x - 8.0f * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    float pane_height = (avail.y - ImGui::GetFrameHeightWithSpacing() * 1.2f) / static_cast<float>(rows) - title_height - 4.0f;
    auto pane = [&](const char* id, const std::string& title, const RsvTexture& slot, const std::string& error) {
      ImGui::BeginGroup();
      ImGui::PushID(id);
      ImGui::TextUnformatted(title.c_str());
      draw_rsv_image(slot, ImVec2(pane_width, pane_height), error.empty() ? "decoding ..." : error.c_str());
      size_t member = id[0] == 'a' ? 0 : id[0] == 'b' ? 1 : 2;
      if (ui.path_overlay && member < loaded->members.size() && !slot.texture.empty()) {
        draw_rsv_path_overlay(loaded->members[member].meta, rsv.frame, rsv.phase, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
      }
      ImGui::PopID();
      ImGui::EndGroup();
    };
    for (size_t m = 0; m < loaded->members.size() && m < 2; ++m) {
      const rsv::LoadedMember& member = loaded->members[m];
      auto error = rsv.cache.errors.find(member.files.key);
      if (m > 0) ImGui::SameLine(0, 8);
      pane(m == 0 ? "a" : "b", member_title(member), m == 0 ? ui.frame_a : ui.frame_b,
           error != rsv.cache.errors.end() ? error->second : member.files.video_path.empty() ? "no video" : "");
    }
    if (pair && rsv.show_difference) {
      char title[96];
      std::snprintf(title, sizeof title, "|A - B| x%.0f  (mean %.1f)", ui.gain, ui.difference.mean_level);
      pane("d", title, ui.difference, "");
    }
    ImGui::Checkbox("path overlay", &ui.path_overlay);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("the next steps' positions on the floor (79 deg HFOV, eye 148 cm)");
    if (pair) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(200);
      ImGui::SliderFloat("gain", &ui.gain, 1.0f, 32.0f, "x%.0f");
      ImGui::SameLine();
      bool difference = rsv.show_difference;
      if (ImGui::Checkbox("|A - B| (X)", &difference)) commands.push_back(cmd::RsvToggleDifference{});
    }
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("rsv_minimap", ImVec2(0, top_height), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  draw_rsv_minimap(state, ui, commands);
  ImGui::EndChild();

  ImGui::BeginChild("rsv_bottom", ImVec2(0, 0), true);
  draw_transport(state, commands);
  if (ImGui::BeginTabBar("rsv_tabs")) {
    auto flags = [&](const char* name) { return ui.first_frames < 2 && ui.tab == name ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None; };
    if (ImGui::BeginTabItem("Timeline", nullptr, flags("timeline"))) {
      draw_rsv_timeline(state, ui, commands);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Endpoints", nullptr, flags("endpoints"))) {
      draw_rsv_endpoints(state, ui, commands);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Log", nullptr, flags("log"))) {
      draw_notification_log(state, notifications);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ++ui.first_frames;
  ImGui::EndChild();
  ImGui::EndChild();
}

void draw_rsv_endpoints(const AppState& state, RsvUi& ui, CommandQueue& commands) {
  const RsvState& rsv = state.rsv;
  // The policy and phase in effect: changing them re-runs the check (a task).
  static const char* kPolicies[] = {"video-ends", "closure"};
  static const char* kPhases[] = {"start", "end", "inclusive"};
  std::string policy = rsv::endpoint_policy_name(rsv.endpoints);
  std::string phase = rsv::phase_name(rsv.phase);
  ImGui::SetNextItemWidth(130);
  if (ImGui::BeginCombo("endpoints", policy.c_str())) {
    for (const char* name : kPolicies) {
      if (ImGui::Selectable(name, policy == name)) commands.push_back(cmd::RsvSetCheckSettings{name, phase});
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  if (ImGui::BeginCombo("phase", phase.c_str())) {
    for (const char* name : kPhases) {
      if (ImGui::Selectable(name, phase == name)) commands.push_back(cmd::RsvSetCheckSettings{policy, name});
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  bool flicker = rsv.flicker;
  if (ImGui::Checkbox("flicker (B)", &flicker)) commands.push_back(cmd::RsvToggleFlicker{});
  auto endpoints = rsv_endpoint_frames(rsv, rsv.item);
  if (endpoints.size() != 2) {
    ImGui::TextDisabled("no endpoints for this item");
    return;
  }
  const rsv::ItemResult* result = rsv.current_report() ? rsv.result(rsv.item) : nullptr;
  ImGui::SameLine();
  if (!result) ImGui::TextDisabled("checking ...");
  else if (!result->layer2.pass) ImGui::TextDisabled("Layer 2 not checked: %s", result->layer2.reason.c_str());
  else {
    const rsv::Layer2Result& layer2 = result->layer2;
    double psnr = layer2.psnr_db.value_or(0.0);
    char psnr_text[24] = "inf", ssim_text[24] = "-";
    if (!std::isinf(psnr)) std::snprintf(psnr_text, sizeof psnr_text, "%.2f", psnr);
    if (layer2.ssim) std::snprintf(ssim_text, sizeof ssim_text, "%.4f", *layer2.ssim);
    ImGui::TextColored(*layer2.pass ? ImVec4(0.5f, 0.9f, 0.5f, 1) : ImVec4(1, 0.4f, 0.3f, 1), "%s  MSE %.2f  PSNR %s dB  SSIM %s  (min %.0f dB)",
                       *layer2.pass ? "pass" : "FAIL", layer2.mse.value_or(0.0), psnr_text, ssim_text, rsv.psnr_min_db);
  }
  auto s = rsv.cache.find(endpoints[0].first, endpoints[0].second);
  auto e = rsv.cache.find(endpoints[1].first, endpoints[1].second);
  upload_rsv_frame(ui.endpoint_s, s);
  upload_rsv_frame(ui.endpoint_e, e);
  upload_rsv_difference(ui.endpoint_difference, s, e, ui.gain);
  ImVec2 avail = ImGui::GetContentRegionAvail();
  float width = (avail.x - 16) / 3.0f, height = avail.y - ImGui::GetTextLineHeightWithSpacing() * 1.3f;
  bool show_end = rsv.flicker && std::fmod(ImGui::GetTime(), 1.0) >= 0.5;  // alternate twice a second
  auto label = [](const std::pair<std::string, int>& endpoint) {
    size_t cut = endpoint.first.rfind("__");  // run_<RUN>__traj_<TID>: the part after the run
    return (cut == std::string::npos ? endpoint.first : endpoint.first.substr(cut + 2)) + "  frame " + std::to_string(endpoint.second);
  };
  ImGui::BeginGroup();
  ImGui::TextUnformatted(rsv.flicker ? (show_end ? ("E: " + label(endpoints[1])).c_str() : ("S: " + label(endpoints[0])).c_str())
                                     : ("S: " + label(endpoints[0])).c_str());
  draw_rsv_image(show_end ? ui.endpoint_e : ui.endpoint_s, ImVec2(width, height), "decoding ...");
  ImGui::EndGroup();
  if (!rsv.flicker) {
    ImGui::SameLine(0, 8);
    ImGui::BeginGroup();
    ImGui::TextUnformatted(("E: " + label(endpoints[1])).c_str());
    draw_rsv_image(ui.endpoint_e, ImVec2(width, height), "decoding ...");
    ImGui::EndGroup();
  }
  ImGui::SameLine(0, 8);
  ImGui::BeginGroup();
  ImGui::Text("|S - E| x%.0f (mean %.2f)", ui.gain, ui.endpoint_difference.mean_level);
  draw_rsv_image(ui.endpoint_difference, ImVec2(width, height), "decoding ...");
  ImGui::EndGroup();
}

bool rsv_dump_frame(const RsvUi& ui, const std::string& path) {
  if (!ui.shown) {
    std::fprintf(stderr, "idmscope: cannot write %s (no frame shown)\n", path.c_str());
    return false;
  }
  std::vector<uint8_t> rgba = rgba_of(*ui.shown);
  if (!cli::write_png_rgba(path, ui.shown->width, ui.shown->height, ui.shown->width * 4, rgba.data())) {
    std::fprintf(stderr, "idmscope: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

void print_rsv_debug(const AppState& state, const RsvUi& ui, std::FILE* out) {
  const RsvState& rsv = state.rsv;
  if (!rsv.active || !rsv.release) return;
  std::fprintf(out, "rsv-release path=%s items=%zu checked=%d\n", rsv.path.c_str(), rsv.release->items.size(), rsv.current_report() ? 1 : 0);
  for (int index : ui.order) {
    const rsv::LoadedItem& loaded = rsv.release->items[static_cast<size_t>(index)];
    const rsv::ItemResult* result = rsv.current_report() ? rsv.result(index) : nullptr;
    auto verdict = [](const std::optional<bool>& v) { return !v ? "none" : *v ? "pass" : "fail"; };
    int errors = 0;
    for (const rsv::Diagnostic& d : result ? result->diagnostics : loaded.diagnostics) errors += d.severity == rsv::Severity::Error;
    std::fprintf(out, "rsv-row key=%s layer1=%s layer2=%s errors=%d\n", loaded.item ? loaded.item->key.c_str() : "?",
                 result ? verdict(result->layer1.pass) : "none", result ? verdict(result->layer2.pass) : "none", errors);
  }
  const rsv::LoadedItem* loaded = rsv.current_item();
  std::fprintf(out, "rsv-view item=%s frame=%d difference=%d difference_mean=%.3f\n", loaded && loaded->item ? loaded->item->key.c_str() : "-",
               rsv.frame, rsv.show_difference ? 1 : 0, loaded && loaded->members.size() == 2 && rsv.show_difference ? ui.difference.mean_level : -1.0);
  for (const Notice& notice : state.notifications.newest_first()) {
    std::fprintf(out, "rsv-notice %s %s\n", severity_name(notice.severity), notice.message.c_str());
  }
  const RsvMinimapDraw& m = ui.minimap;
  if (m.drawn) {
    std::fprintf(out, "rsv-minimap item=%s frame=%d pose_cm=%.2f,%.2f yaw=%.2f marker=%.1f,%.1f path_points=%zu residual_drawn=%d residual_cm=%.3f\n",
                 m.item.c_str(), m.frame, m.pose_x_cm, m.pose_y_cm, m.pose_yaw_deg, m.current_x, m.current_y, m.path_points, m.residual_drawn ? 1 : 0,
                 m.residual_cm);
  }
}

}  // namespace idm::gui
