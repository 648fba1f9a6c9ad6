// The RSV mode's command handlers. Reading the release, the check, decoding frames and a
// pair's PSNR curve are tasks; their results come back here as commands.
#include "state/rsv_apply.hpp"

#include <algorithm>
#include <cmath>
#include <system_error>

#include "commands.hpp"
#include "recent.hpp"
#include "rsv/image_metrics.hpp"
#include "state/rsv_command.hpp"
#include "state/rsv_state.hpp"

namespace idm::gui {

namespace {

constexpr size_t kProblemsNamed = 20;

bool is_meta_file(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  return name.starts_with("run_") && name.ends_with("_meta.json");
}

bool holds_meta_files(const std::filesystem::path& dir) {
  std::error_code code;
  for (auto it = std::filesystem::directory_iterator(dir, code); !code && it != std::filesystem::directory_iterator(); it.increment(code)) {
    if (is_meta_file(it->path())) return true;
  }
  return false;
}

void open_release(ViewerContext& context, const std::string& path) {
  context.state.rsv.loading = path;
  context.tasks.cancel_kind(TaskKind::RsvOpen);  // the newest open wins
  context.tasks.start(TaskKind::RsvOpen, "open RSV " + path, [path](TaskContext&) -> Command {
    cmd::RsvLoaded loaded;
    loaded.path = path;
    auto release = std::make_shared<RsvRelease>();
    std::string error;
    if (!rsv::scan_release(path, release->release, error)) {
      loaded.error = path + ": " + error;
      return loaded;
    }
    if (!rsv::load_conventions(rsv::default_conventions_path(), release->table, error)) {
      loaded.error = "conventions table: " + error;
      return loaded;
    }
    rsv::CheckSettings settings;
    settings.table = release->table;
    release->items = rsv::load_items(release->release, settings);  // points into release->release: filled in place
    loaded.release = release;
    remember_dataset(path, loaded.recent_error);
    loaded.recent = load_recent_datasets();
    return loaded;
  });
}

void reset_view(RsvState& rsv) {
  rsv.item = rsv.release && !rsv.release->items.empty() ? 0 : -1;
  rsv.frame = 0;
  rsv.playing = false;
  rsv.cache = RsvFrameCache{};
  rsv.readers.clear();
  rsv.report.reset();
  rsv.result_of_item.clear();
  rsv.report_release = rsv.report_settings = 0;
  rsv.checking_release = rsv.checking_settings = 0;
  rsv.check_task = 0;
  rsv.curve_item.clear();
  rsv.curve_psnr_db.clear();
  rsv.curve_error.clear();
  rsv.curve_computing.clear();
}

void on_loaded(ViewerContext& context, cmd::RsvLoaded& loaded) {
  AppState& state = context.state;
  RsvState& rsv = state.rsv;
  if (loaded.path != rsv.loading) return;  // a newer open replaced this one
  rsv.loading.clear();
  if (!loaded.release) {
    notify(state, NoticeCode::DatasetUnreadable, Severity::Error, loaded.path, loaded.error);
    return;
  }
  // The running RSV tasks hold their own copies of the old release; their results are dropped
  // by revision.
  context.tasks.cancel_kind(TaskKind::RsvCheck);
  context.tasks.cancel_kind(TaskKind::RsvFrames);
  context.tasks.cancel_kind(TaskKind::RsvCurve);
  rsv.active = true;
  state.playing = false;
  rsv.path = loaded.path;
  rsv.release = loaded.release;
  ++rsv.release_revision;
  reset_view(rsv);
  const RsvRelease& release = *rsv.release;
  size_t problems = 0;
  for (const rsv::LoadedItem& item : release.items) {
    for (const rsv::Diagnostic& diagnostic : item.diagnostics) {
      if (diagnostic.severity != rsv::Severity::Error) continue;
      if (++problems <= kProblemsNamed) {
        notify(state, NoticeCode::RsvItemProblem, Severity::Warning, item.item ? item.item->key : diagnostic.file, rsv::diagnostic_line(diagnostic));
      }
    }
  }
  if (problems > kProblemsNamed) {
    notify(state, NoticeCode::RsvItemProblem, Severity::Warning, loaded.path,
           std::to_string(problems - kProblemsNamed) + " more errors: idmscope rsv check " + loaded.path);
  }
  for (const rsv::Diagnostic& note : release.release.notes) {
    notify(state, NoticeCode::RsvItemProblem, Severity::Info, loaded.path, rsv::diagnostic_line(note));
  }
  notify(state, NoticeCode::DatasetOpened, Severity::Info, loaded.path,
         "opened RSV release " + loaded.path + ": " + std::to_string(release.items.size()) + " items in " +
             std::to_string(release.release.splits.size()) + " splits");
  state.recent_datasets = std::move(loaded.recent);
  if (!loaded.recent_error.empty()) {
    notify(state, NoticeCode::RecentListNotSaved, Severity::Warning, loaded.path, "recent list not saved: " + loaded.recent_error);
  }
}

void seek(RsvState& rsv, int frame) {
  int count = rsv.frame_count();
  rsv.frame = count > 0 ? std::clamp(frame, 0, count - 1) : 0;
}

void select_item(AppState& state, int index) {
  RsvState& rsv = state.rsv;
  if (!rsv.release || index < 0 || index >= static_cast<int>(rsv.release->items.size())) return;
  if (index != rsv.item) rsv.playing = false;
  rsv.item = index;
  seek(rsv, rsv.frame);
}

void select_by_key(AppState& state, const std::string& key) {
  if (!state.rsv.release) return;
  int index = find_rsv_item(*state.rsv.release, key);
  if (index < 0) {
    notify(state, NoticeCode::NavigationEmpty, Severity::Warning, key, "no trajectory or pair " + key + " in " + state.rsv.path);
    return;
  }
  select_item(state, index);
}

void step_item(AppState& state, const cmd::RsvStepItem& step) {
  if (step.order.empty()) return;
  auto at = std::find(step.order.begin(), step.order.end(), state.rsv.item);
  long position = at == step.order.end() ? 0 : (at - step.order.begin()) + step.delta;
  position = std::clamp<long>(position, 0, static_cast<long>(step.order.size()) - 1);
  select_item(state, step.order[static_cast<size_t>(position)]);
}

void step_step(RsvState& rsv, int delta) {
  int per_step = rsv.frames_per_step();
  int step = rsv.frame / per_step;
  // Back from inside a step goes to the step's start first.
  if (delta < 0 && rsv.frame % per_step != 0) ++delta;
  seek(rsv, (step + delta) * per_step);
}

// The partner of the shown trajectory: for a pair the other half's item (the same item when the
// pairing is sound), for a single trajectory the item of its partner_trajectory_id, if any.
void jump_partner(AppState& state) {
  RsvState& rsv = state.rsv;
  const rsv::LoadedItem* loaded = rsv.current_item();
  if (!loaded || loaded->members.empty()) return;
  const rsv::LoadedMember& member = loaded->members.front();
  if (!member.meta.partner_trajectory_id) {
    notify(state, NoticeCode::NavigationEmpty, Severity::Info, member.files.key, member.files.key + " has no partner trajectory");
    return;
  }
  int64_t partner = *member.meta.partner_trajectory_id;
  for (size_t i = 0; i < rsv.release->items.size(); ++i) {
    const rsv::LoadedItem& other = rsv.release->items[i];
    if (static_cast<int>(i) == rsv.item || !other.item || !loaded->item || other.item->split != loaded->item->split) continue;
    for (const rsv::LoadedMember& candidate : other.members) {
      if (candidate.files.name.run == member.files.name.run && candidate.files.name.tid == partner) {
        select_item(state, static_cast<int>(i));
        return;
      }
    }
  }
  notify(state, NoticeCode::NavigationEmpty, Severity::Info, member.files.key,
         loaded->members.size() == 2 ? "the partner (traj " + std::to_string(partner) + ") is the pair's other half, shown beside it"
                                     : "partner traj " + std::to_string(partner) + " is not in the release");
}

void set_check_settings(AppState& state, const cmd::RsvSetCheckSettings& request) {
  RsvState& rsv = state.rsv;
  auto policy = rsv::parse_endpoint_policy(request.endpoints);
  auto phase = rsv::parse_phase(request.phase);
  if (!policy || !phase) {
    notify(state, NoticeCode::EditRejected, Severity::Warning, "", "endpoints '" + request.endpoints + "' / phase '" + request.phase +
                                                                      "': expected video-ends|closure|S,E and start|end|inclusive");
    return;
  }
  if (rsv::endpoint_policy_name(*policy) == rsv::endpoint_policy_name(rsv.endpoints) && *phase == rsv.phase) return;
  rsv.endpoints = *policy;
  rsv.phase = *phase;
  ++rsv.settings_revision;
}

void on_checked(AppState& state, cmd::RsvChecked& checked) {
  RsvState& rsv = state.rsv;
  if (checked.release_revision == rsv.checking_release && checked.settings_revision == rsv.checking_settings) {
    rsv.checking_release = rsv.checking_settings = 0;
    rsv.check_task = 0;
  }
  if (!checked.report || checked.release_revision != rsv.release_revision || checked.settings_revision != rsv.settings_revision) return;
  rsv.report = checked.report;
  rsv.report_release = checked.release_revision;
  rsv.report_settings = checked.settings_revision;
  rsv.result_of_item.assign(rsv.release->items.size(), -1);
  for (size_t i = 0; i < rsv.release->items.size(); ++i) {
    const rsv::LoadedItem& item = rsv.release->items[i];
    if (!item.item) continue;
    for (size_t r = 0; r < rsv.report->items.size(); ++r) {
      if (rsv.report->items[r].key == item.item->key) rsv.result_of_item[i] = static_cast<int>(r);
    }
  }
}

void on_frames(AppState& state, cmd::RsvFramesDecoded& decoded) {
  RsvState& rsv = state.rsv;
  if (decoded.release_revision != rsv.release_revision) return;
  RsvFrameCache& cache = rsv.cache;
  for (size_t i = 0; i < decoded.frames.size(); ++i) {
    RsvFrameKey key{decoded.member, decoded.frames[i]};
    cache.pending.erase(key);
    if (i >= decoded.rgb.size() || !decoded.rgb[i] || cache.frames.count(key)) continue;
    cache.frames[key] = decoded.rgb[i];
    cache.order.push_back(key);
    cache.bytes += decoded.rgb[i]->bytes();
  }
  if (!decoded.error.empty() && !cache.errors.count(decoded.member)) {
    cache.errors[decoded.member] = decoded.error;
    notify(state, NoticeCode::RsvFrameUnreadable, Severity::Error, decoded.member, decoded.member + ": " + decoded.error);
  }
  // Oldest first beyond the budget (what is shown now was just added).
  while (cache.bytes > cache.budget_bytes && cache.order.size() > 4) {
    auto it = cache.frames.find(cache.order.front());
    if (it != cache.frames.end()) {
      cache.bytes -= it->second->bytes();
      cache.frames.erase(it);
    }
    cache.order.pop_front();
  }
}

void on_curve(AppState& state, cmd::RsvPsnrCurve& curve) {
  RsvState& rsv = state.rsv;
  if (curve.release_revision != rsv.release_revision || curve.item != rsv.curve_computing) return;
  rsv.curve_computing.clear();
  rsv.curve_item = curve.item;
  rsv.curve_psnr_db = std::move(curve.psnr_db);
  rsv.curve_error = std::move(curve.error);
}

void advance(RsvState& rsv, double dt_s) {
  if (!rsv.playing) return;
  constexpr double kFrameS = 1.0 / 16.0;  // the card's 16 fps
  rsv.play_clock_s += dt_s;
  while (rsv.play_clock_s >= kFrameS) {
    rsv.play_clock_s -= kFrameS;
    if (rsv.frame + 1 >= rsv.frame_count()) {
      rsv.playing = false;
      return;
    }
    ++rsv.frame;
  }
}

// --- derived ---

void schedule_check(ViewerContext& context) {
  RsvState& rsv = context.state.rsv;
  if (!rsv.release || rsv.current_report()) return;
  if (rsv.checking_release == rsv.release_revision && rsv.checking_settings == rsv.settings_revision) return;
  if (rsv.check_task != 0) context.tasks.cancel(rsv.check_task);
  rsv::CheckSettings settings;
  settings.endpoints = rsv.endpoints;
  settings.phase = rsv.phase;
  settings.psnr_min_db = rsv.psnr_min_db;
  settings.ssim = true;
  settings.threads = 1;  // the decode tasks and the UI share the machine
  settings.table = rsv.release->table;
  rsv.checking_release = rsv.release_revision;
  rsv.checking_settings = rsv.settings_revision;
  rsv.check_task = context.tasks.start(
      TaskKind::RsvCheck, "RSV check (" + rsv::endpoint_policy_name(rsv.endpoints) + ", " + rsv::phase_name(rsv.phase) + ")",
      [release = rsv.release, settings, release_revision = rsv.release_revision, settings_revision = rsv.settings_revision](TaskContext& task) mutable -> Command {
        settings.progress = [&task](const char*, int done, int total) { task.set_progress(total > 0 ? static_cast<double>(done) / total : -1.0); };
        auto report = std::make_shared<rsv::CheckReport>(rsv::run_check(release->release, settings));
        return cmd::RsvChecked{release_revision, settings_revision, report};
      });
}

std::shared_ptr<RsvReaderSlot> reader_slot(RsvState& rsv, const rsv::LoadedMember& member) {
  auto& slot = rsv.readers[member.files.key];
  if (!slot) {
    slot = std::make_shared<RsvReaderSlot>();
    slot->path = member.files.video_path;
  }
  return slot;
}

void request_frames(ViewerContext& context, const rsv::LoadedMember& member, std::vector<int> frames) {
  RsvState& rsv = context.state.rsv;
  const std::string& key = member.files.key;
  if (member.files.video_path.empty() || rsv.cache.errors.count(key)) return;
  std::sort(frames.begin(), frames.end());
  frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
  std::vector<int> missing;
  for (int frame : frames) {
    if (frame < 0 || rsv.cache.frames.count({key, frame}) || rsv.cache.pending.count({key, frame})) continue;
    missing.push_back(frame);
    rsv.cache.pending.insert({key, frame});
  }
  if (missing.empty()) return;
  context.tasks.start(TaskKind::RsvFrames, "decode " + key, [slot = reader_slot(rsv, member), key, missing, revision = rsv.release_revision](TaskContext& task) -> Command {
    cmd::RsvFramesDecoded decoded;
    decoded.release_revision = revision;
    decoded.member = key;
    decoded.frames = missing;
    std::lock_guard<std::mutex> lock(slot->mutex);
    if (!slot->reader && slot->error.empty()) {
      auto reader = std::make_unique<rsv::FrameReader>();
      if (reader->open(slot->path, slot->error)) slot->reader = std::move(reader);
      else if (slot->error.empty()) slot->error = "cannot open " + slot->path.string();
    }
    for (int frame : missing) {
      decoded.rgb.push_back(nullptr);
      if (task.cancelled()) continue;
      if (!slot->reader) {
        if (decoded.error.empty()) decoded.error = slot->error;
        continue;
      }
      auto image = std::make_shared<RgbFrame>();
      std::string error;
      if (!slot->reader->read_rgb(frame, image->rgb, error)) {
        if (decoded.error.empty()) decoded.error = "frame " + std::to_string(frame) + ": " + error;
        continue;
      }
      image->width = slot->reader->facts().width;
      image->height = slot->reader->facts().height;
      decoded.rgb.back() = image;
    }
    return decoded;
  });
}

void schedule_frames(ViewerContext& context) {
  RsvState& rsv = context.state.rsv;
  const rsv::LoadedItem* loaded = rsv.current_item();
  if (!loaded) return;
  // The shown frame of each member, and the item's endpoint frames (the Endpoints panel).
  std::map<std::string, std::vector<int>> wanted;
  for (const rsv::LoadedMember& member : loaded->members) wanted[member.files.key].push_back(rsv.frame);
  for (const auto& endpoint : rsv_endpoint_frames(rsv, rsv.item)) wanted[endpoint.first].push_back(endpoint.second);
  for (const rsv::LoadedMember& member : loaded->members) request_frames(context, member, wanted[member.files.key]);
}

void schedule_curve(ViewerContext& context) {
  RsvState& rsv = context.state.rsv;
  const rsv::LoadedItem* loaded = rsv.current_item();
  if (!loaded || !loaded->item || loaded->members.size() != 2) return;
  const std::string& key = loaded->item->key;
  if (rsv.curve_item == key || rsv.curve_computing == key) return;
  if (loaded->members[0].files.video_path.empty() || loaded->members[1].files.video_path.empty()) return;
  context.tasks.cancel_kind(TaskKind::RsvCurve);
  rsv.curve_computing = key;
  context.tasks.start(TaskKind::RsvCurve, "PSNR(A, B) " + key,
                      [key, a = loaded->members[0].files.video_path, b = loaded->members[1].files.video_path, revision = rsv.release_revision](TaskContext& task) -> Command {
                        cmd::RsvPsnrCurve curve;
                        curve.release_revision = revision;
                        curve.item = key;
                        rsv::FrameReader reader_a, reader_b;
                        std::string error;
                        if (!reader_a.open(a, error) || !reader_b.open(b, error)) {
                          curve.error = error;
                          return curve;
                        }
                        int frames = std::min(reader_a.facts().frames, reader_b.facts().frames);
                        std::vector<uint8_t> rgb_a, rgb_b;
                        // Two frames at a time, forward: the decoders never seek.
                        for (int frame = 0; frame < frames; ++frame) {
                          if (task.cancelled()) return cmd::TaskCancelled{"PSNR curve"};
                          if (!reader_a.read_rgb(frame, rgb_a, error) || !reader_b.read_rgb(frame, rgb_b, error)) {
                            curve.error = "frame " + std::to_string(frame) + ": " + error;
                            break;
                          }
                          if (rgb_a.size() != rgb_b.size()) {
                            curve.error = "A and B differ in size";
                            break;
                          }
                          double mse = rsv::mse_rgb24(rgb_a.data(), rgb_b.data(), static_cast<size_t>(reader_a.facts().width),
                                                      static_cast<size_t>(reader_a.facts().height));
                          curve.psnr_db.push_back(rsv::psnr_from_mse(mse));
                          task.set_progress(static_cast<double>(frame + 1) / frames);
                        }
                        return curve;
                      });
}

}  // namespace

bool looks_like_rsv_release(const std::filesystem::path& dir) {
  std::error_code code;
  if (!std::filesystem::is_directory(dir, code)) return false;
  if (holds_meta_files(dir)) return true;
  bool zips = false, others = false;
  for (auto it = std::filesystem::directory_iterator(dir, code); !code && it != std::filesystem::directory_iterator(); it.increment(code)) {
    std::string name = it->path().filename().string();
    if (name.starts_with("clips_recording_")) return false;  // an IDM dataset
    std::error_code kind_code;
    if (it->is_directory(kind_code)) {
      if (holds_meta_files(it->path())) return true;
      if (name == "result_dataset") {
        for (auto split = std::filesystem::directory_iterator(it->path(), kind_code);
             !kind_code && split != std::filesystem::directory_iterator(); split.increment(kind_code)) {
          if (holds_meta_files(split->path())) return true;
        }
      }
      if (!name.starts_with(".")) others = true;
    } else if (name.ends_with(".zip")) {
      zips = true;
    } else if (!name.starts_with(".")) {
      others = true;
    }
  }
  return zips && !others;  // only archives: the release's reader says "unpack the release first"
}

bool is_rsv_command(const Command& command) {
  return std::visit(
      [](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        return std::is_same_v<T, cmd::RsvOpen> || std::is_same_v<T, cmd::RsvSelectItem> || std::is_same_v<T, cmd::RsvStepItem> ||
               std::is_same_v<T, cmd::RsvSeek> || std::is_same_v<T, cmd::RsvStepFrame> || std::is_same_v<T, cmd::RsvStepStep> ||
               std::is_same_v<T, cmd::RsvJumpPartner> || std::is_same_v<T, cmd::RsvToggleDifference> ||
               std::is_same_v<T, cmd::RsvToggleFlicker> || std::is_same_v<T, cmd::RsvTogglePlay> || std::is_same_v<T, cmd::RsvAdvance> ||
               std::is_same_v<T, cmd::RsvSetCheckSettings> || std::is_same_v<T, cmd::RsvLoaded> || std::is_same_v<T, cmd::RsvChecked> ||
               std::is_same_v<T, cmd::RsvFramesDecoded> || std::is_same_v<T, cmd::RsvPsnrCurve>;
      },
      command);
}

void apply_rsv_command(ViewerContext& context, Command& command) {
  AppState& state = context.state;
  RsvState& rsv = state.rsv;
  std::visit(
      [&](auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, cmd::RsvOpen>) open_release(context, c.path);
        else if constexpr (std::is_same_v<T, cmd::RsvLoaded>) on_loaded(context, c);
        else if constexpr (std::is_same_v<T, cmd::RsvSelectItem>) select_by_key(state, c.key);
        else if constexpr (std::is_same_v<T, cmd::RsvStepItem>) step_item(state, c);
        else if constexpr (std::is_same_v<T, cmd::RsvSeek>) seek(rsv, c.frame);
        else if constexpr (std::is_same_v<T, cmd::RsvStepFrame>) seek(rsv, rsv.frame + c.delta);
        else if constexpr (std::is_same_v<T, cmd::RsvStepStep>) step_step(rsv, c.delta);
        else if constexpr (std::is_same_v<T, cmd::RsvJumpPartner>) jump_partner(state);
        else if constexpr (std::is_same_v<T, cmd::RsvToggleDifference>) rsv.show_difference = !rsv.show_difference;
        else if constexpr (std::is_same_v<T, cmd::RsvToggleFlicker>) rsv.flicker = !rsv.flicker;
        else if constexpr (std::is_same_v<T, cmd::RsvTogglePlay>) {
          if (!rsv.playing && rsv.frame + 1 >= rsv.frame_count()) rsv.frame = 0;
          rsv.playing = !rsv.playing;
          rsv.play_clock_s = 0.0;
        } else if constexpr (std::is_same_v<T, cmd::RsvAdvance>) advance(rsv, c.dt_s);
        else if constexpr (std::is_same_v<T, cmd::RsvSetCheckSettings>) set_check_settings(state, c);
        else if constexpr (std::is_same_v<T, cmd::RsvChecked>) on_checked(state, c);
        else if constexpr (std::is_same_v<T, cmd::RsvFramesDecoded>) on_frames(state, c);
        else if constexpr (std::is_same_v<T, cmd::RsvPsnrCurve>) on_curve(state, c);
      },
      command);
}

void refresh_rsv_derived(ViewerContext& context) {
  if (!context.state.rsv.active) return;
  schedule_check(context);
  schedule_frames(context);
  schedule_curve(context);
}

}  // namespace idm::gui
