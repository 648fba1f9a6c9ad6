#include "io/clip_reader.hpp"

#include <algorithm>
#include <cmath>

#include "io/json_file.hpp"
#include "io/simd_values.hpp"

namespace idm {

using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

EventKind kind_of(std::string_view type) {
  if (type == "KeyPress") return EventKind::KeyPress;
  if (type == "KeyRelease") return EventKind::KeyRelease;
  if (type == "MousePress") return EventKind::MousePress;
  if (type == "MouseRelease") return EventKind::MouseRelease;
  if (type == "MouseMove") return EventKind::MouseMove;
  if (type == "MouseScroll") return EventKind::MouseScroll;
  if (type == "ContextChanged") return EventKind::ContextChanged;
  return EventKind::Other;
}

bool is_number(element value) {
  auto type = value.type();
  return type == element_type::INT64 || type == element_type::UINT64 || type == element_type::DOUBLE;
}

double number_of(element value) {
  switch (value.type()) {
    case element_type::INT64: return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(value.get_uint64().value_unsafe());
    default: return value.get_double().value_unsafe();
  }
}

void decode_payload(element payload, RawEvent& event) {
  if (!payload.is_array()) return;
  simdjson::dom::array items = payload.get_array().value_unsafe();
  size_t count = items.size();
  switch (event.kind) {
    case EventKind::KeyPress:
    case EventKind::KeyRelease: {
      if (count < 2) return;
      element name = items.at(1).value_unsafe();
      if (name.is_string() && name.get_string().value_unsafe() == "UNKNOWN") return;
      event.name = python_str(name);
      event.payload_valid = true;
      return;
    }
    case EventKind::MousePress:
    case EventKind::MouseRelease: {
      if (count < 1) return;
      element button = items.at(0).value_unsafe();
      if (!button.is_string()) return;
      event.name = std::string(button.get_string().value_unsafe());
      event.payload_valid = event.name == "Left" || event.name == "Right" || event.name == "Middle";
      return;
    }
    case EventKind::MouseScroll: {
      if (count < 2) return;
      auto dy = python_float_of(items.at(1).value_unsafe());
      if (!dy) return;
      event.y = *dy;
      event.x = python_float_of(items.at(0).value_unsafe()).value_or(0.0);
      event.payload_valid = true;
      return;
    }
    case EventKind::MouseMove: {
      if (count < 2) return;
      auto dx = python_float_of(items.at(0).value_unsafe());
      auto dy = python_float_of(items.at(1).value_unsafe());
      if (!dx || !dy || !std::isfinite(*dx) || !std::isfinite(*dy)) return;
      event.x = *dx;
      event.y = *dy;
      event.payload_valid = true;
      return;
    }
    case EventKind::ContextChanged: {
      for (element item : items) {
        if (item.is_string() && item.get_string().value_unsafe() == "UNCAPTURED") event.uncaptured = true;
      }
      event.payload_valid = true;
      return;
    }
    case EventKind::Other: return;
  }
}

}  // namespace

void decode_actions(element actions, const std::string& location, const DecodeOptions& options, ClipLog& out) {
  simdjson::dom::array entries = actions.get_array().value_unsafe();
  out.events.reserve(out.events.size() + entries.size());
  size_t index = 0;
  for (element entry : entries) {
    size_t position = index++;
    auto skip = [&](const std::string& why) {
      out.warnings.push_back(location + "[" + std::to_string(position) + "]: " + why + "; event skipped");
    };
    if (!entry.is_array() || entry.get_array().value_unsafe().size() < 2) {
      skip("expected [ts_us, [Type, payload]], found " + std::string(json_type_phrase(entry)));
      continue;
    }
    simdjson::dom::array pair = entry.get_array().value_unsafe();
    element timestamp = pair.at(0).value_unsafe();
    element body = pair.at(1).value_unsafe();
    if (!is_number(timestamp)) {
      skip(std::string("timestamp is ") + json_type_phrase(timestamp) + ", expected integer microseconds");
      continue;
    }
    double ts_us = number_of(timestamp);
    if (!std::isfinite(ts_us) || std::fabs(ts_us) > 9.0e15) {
      skip("timestamp " + compact_json(timestamp) + " is out of range");
      continue;
    }
    if (!body.is_array() || body.get_array().value_unsafe().size() < 1) {
      skip("expected [Type, payload], found " + std::string(json_type_phrase(body)));
      continue;
    }
    simdjson::dom::array type_and_payload = body.get_array().value_unsafe();
    RawEvent event;
    event.ts_us = ts_us;
    element type = type_and_payload.at(0).value_unsafe();
    if (type.is_string()) {
      std::string_view type_text = type.get_string().value_unsafe();
      event.kind = kind_of(type_text);
      if (!options.scoring_only || event.kind == EventKind::Other) event.type_name = std::string(type_text);
    } else {
      event.type_name = python_str(type);
    }
    if (options.scoring_only && (event.kind == EventKind::MouseMove || event.kind == EventKind::Other)) {
      out.dropped_latest_ts_us = std::max(out.dropped_latest_ts_us, ts_us);  // only max_frame needs it
      ++out.dropped_events;
      continue;
    }
    if (type_and_payload.size() >= 2) {
      element payload = type_and_payload.at(1).value_unsafe();
      decode_payload(payload, event);
      if (options.keep_payload_json) event.payload_json = compact_json(payload);
      if (event.kind != EventKind::Other && !payload.is_array()) {
        out.warnings.push_back(location + "[" + std::to_string(position) + "]: " + event_kind_name(event.kind) + " payload is " +
                               json_type_phrase(payload) + ", expected an array; the event does not count");
      }
    } else if (event.kind != EventKind::Other) {
      out.warnings.push_back(location + "[" + std::to_string(position) + "]: " + event_kind_name(event.kind) +
                             " has no payload; the event does not count");
    }
    out.events.push_back(std::move(event));
  }
}

bool decode_clip_object(element clip, const std::string& location, std::string_view actions_key,
                        const DecodeOptions& options, ClipLog& out, std::string& error) {
  if (!clip.is_object()) {
    error = location + ": expected an object, found " + json_type_phrase(clip);
    return false;
  }
  simdjson::dom::object object = clip.get_object().value_unsafe();
  auto start = last_field(object, "start_s");
  if (!start || !is_number(*start)) {
    error = location + (start ? std::string(".start_s is ") + json_type_phrase(*start) + ", expected seconds"
                              : std::string(": missing \"start_s\""));
    return false;
  }
  out.start_s = number_of(*start);
  if (!std::isfinite(out.start_s) || std::fabs(out.start_s) > 9.0e9) {
    error = location + ".start_s " + compact_json(*start) + " is out of range";
    return false;
  }
  if (auto end = last_field(object, "end_s"); end && is_number(*end)) {
    out.end_s = number_of(*end);
    out.has_end = std::isfinite(out.end_s);
  }
  if (auto tag = last_field(object, "tag")) out.tag = tag->is_string() ? std::string(tag->get_string().value_unsafe()) : python_str(*tag);
  auto actions = last_field(object, actions_key);
  if (!actions) {
    error = location + ": missing \"" + std::string(actions_key) + "\"";
    return false;
  }
  if (!actions->is_array()) {
    error = location + "." + std::string(actions_key) + " is " + json_type_phrase(*actions) + ", expected an array";
    return false;
  }
  decode_actions(*actions, location + "." + std::string(actions_key), options, out);
  return true;
}

bool read_clip_file(const std::filesystem::path& path, ClipLog& out, std::string& error) {
  JsonText text;
  if (!read_json_text(path, kMaxSmallJsonBytes, text, error)) return false;
  simdjson::dom::parser parser;
  element root;
  if (!parse_json_dom(parser, text.view(), root, error)) return false;
  if (text.bom_bytes) out.warnings.push_back("file starts with a UTF-8 byte order mark (ignored)");
  return decode_clip_object(root, "$", "actions", DecodeOptions{}, out, error);
}

}  // namespace idm
