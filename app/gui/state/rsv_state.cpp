#include "state/rsv_state.hpp"

#include <algorithm>

namespace idm::gui {

std::shared_ptr<const RgbFrame> RsvFrameCache::find(const std::string& member, int frame) const {
  auto it = frames.find({member, frame});
  return it == frames.end() ? nullptr : it->second;
}

const rsv::LoadedItem* RsvState::current_item() const {
  if (!release || item < 0 || item >= static_cast<int>(release->items.size())) return nullptr;
  return &release->items[static_cast<size_t>(item)];
}

const rsv::ItemResult* RsvState::result(int item_index) const {
  if (!report || item_index < 0 || item_index >= static_cast<int>(result_of_item.size())) return nullptr;
  int at = result_of_item[static_cast<size_t>(item_index)];
  return at < 0 ? nullptr : &report->items[static_cast<size_t>(at)];
}

int RsvState::frame_count() const {
  const rsv::LoadedItem* loaded = current_item();
  if (!loaded || loaded->members.empty()) return 0;
  const rsv::LoadedMember& member = loaded->members.front();
  if (member.video_ok && member.video.frames > 0) return member.video.frames;
  if (member.meta.total_frames > 0) return member.meta.total_frames;
  return 0;
}

int RsvState::frames_per_step() const {
  const rsv::LoadedItem* loaded = current_item();
  if (!loaded || loaded->members.empty() || loaded->members.front().meta.frames_per_step <= 0) return 9;
  return loaded->members.front().meta.frames_per_step;
}

int find_rsv_item(const RsvRelease& release, const std::string& key) {
  for (size_t i = 0; i < release.release.items.size(); ++i) {
    const rsv::ReleaseItem& item = release.release.items[i];
    if (item.key == key) return static_cast<int>(i);
    for (const rsv::MemberFiles& member : item.members) {
      if (member.key == key) return static_cast<int>(i);
    }
  }
  return -1;
}

std::vector<std::pair<std::string, int>> rsv_endpoint_frames(const RsvState& state, int item_index) {
  if (const rsv::ItemResult* result = state.result(item_index); result && state.current_report() && result->layer2.frames.size() == 2) {
    return result->layer2.frames;
  }
  // Until the check is back: the video ends (rsv.md §4's default policy).
  if (!state.release || item_index < 0 || item_index >= static_cast<int>(state.release->items.size())) return {};
  const rsv::LoadedItem& loaded = state.release->items[static_cast<size_t>(item_index)];
  if (loaded.members.empty()) return {};
  auto last = [](const rsv::LoadedMember& member) {
    int frames = member.video_ok ? member.video.frames : member.meta.total_frames;
    return std::max(0, frames - 1);
  };
  if (loaded.members.size() == 2) return {{loaded.members[0].files.key, last(loaded.members[0])}, {loaded.members[1].files.key, last(loaded.members[1])}};
  return {{loaded.members[0].files.key, 0}, {loaded.members[0].files.key, last(loaded.members[0])}};
}

}  // namespace idm::gui
