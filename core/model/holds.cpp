#include "model/holds.hpp"

#include <algorithm>
#include <map>

namespace idm {

std::vector<HoldSpan> hold_spans(const ClipLog& log) {
  std::vector<const RawEvent*> events;
  double first_us = log.start_s * 1e6, last_us = log.has_end ? log.end_s * 1e6 : first_us;
  for (const RawEvent& event : log.events) {
    bool key = event.kind == EventKind::KeyPress || event.kind == EventKind::KeyRelease;
    bool button = event.kind == EventKind::MousePress || event.kind == EventKind::MouseRelease;
    if ((key || button) && event.payload_valid) events.push_back(&event);
    if (!log.has_end) last_us = std::max(last_us, event.ts_us);
  }
  // File order is not always time order; ties keep file order (press before its release).
  std::stable_sort(events.begin(), events.end(), [](const RawEvent* a, const RawEvent* b) { return a->ts_us < b->ts_us; });

  std::vector<HoldSpan> spans;
  std::map<std::pair<bool, std::string>, size_t> held;  // (button?, name) -> open span
  for (const RawEvent* event : events) {
    bool button = event->kind == EventKind::MousePress || event->kind == EventKind::MouseRelease;
    bool press = event->kind == EventKind::KeyPress || event->kind == EventKind::MousePress;
    auto key = std::make_pair(button, event->name);
    auto open = held.find(key);
    if (press) {
      if (open != held.end()) {
        ++spans[open->second].repeats;  // auto-repeat while held
        continue;
      }
      HoldSpan span;
      span.name = event->name;
      span.mouse_button = button;
      span.press_us = event->ts_us;
      held[key] = spans.size();
      spans.push_back(span);
    } else if (open != held.end()) {
      spans[open->second].release_us = event->ts_us;
      held.erase(open);
    } else {
      HoldSpan span;  // released without a press in this clip: held since before the start
      span.name = event->name;
      span.mouse_button = button;
      span.press_us = std::min(first_us, event->ts_us);
      span.release_us = event->ts_us;
      span.open_start = true;
      spans.push_back(span);
    }
  }
  for (const auto& [key, index] : held) {
    spans[index].release_us = std::max(last_us, spans[index].press_us);
    spans[index].open_end = true;
  }
  std::stable_sort(spans.begin(), spans.end(), [](const HoldSpan& a, const HoldSpan& b) { return a.press_us < b.press_us; });
  return spans;
}

}  // namespace idm
