// Property test: 10,000 random edit / undo / redo / save / reload steps on one clip. Checked
// after every step: each edit did what it says, undo and redo restore the exact prior state
// (against an independent history kept here), and after every reload the files on disk equal
// the in-memory document with every unknown key, other clip and out-of-range entry intact.
#include <doctest/doctest.h>

#include <random>

#include "edit_fixture.hpp"

using namespace idm;
using namespace idm::edit;
using namespace idm::test;

namespace {

constexpr int kSteps = 10000;

// What must never change, whatever the user does to the clip.
void check_untouched(const Json& annotations, const Json& overrides) {
  REQUIRE(annotations.at("_meta") == fixture_annotations().at("_meta"));
  REQUIRE(annotations.at(kOtherClip) == fixture_annotations().at(kOtherClip));
  REQUIRE(overrides.at(kOtherClip) == fixture_overrides().at(kOtherClip));
  REQUIRE(overrides.at("_schema") == 2);
  const Json& labels = annotations.at(kClip);
  REQUIRE(labels.at("999") == "visible");
  REQUIRE(labels.at("x") == "inferable");
  REQUIRE(overrides.at(kClip).at("note") == "checked by ana");
  REQUIRE(overrides.at(kClip).at("edits").at("42") == "Z");
}

const char* kDetails[] = {"A", "Cmd+S", "Left", "up", "down", "Shift+Tab", "B2", "Return"};

}  // namespace

TEST_CASE("edit property: 10,000 random edit/undo/redo/save/reload steps keep disk and memory equal") {
  EditTempDir dir;
  write_fixture(dir);
  std::mt19937_64 random(20261122);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<uint64_t>(n)); };
  ClipDocument document;
  std::string error, message;
  REQUIRE(document.open(dir.path(), kClip, fixture_canonical(), error));
  // Our own record of the states, to check undo/redo against.
  std::vector<ClipSideState> done{document.state()}, undone;
  int counts[8] = {};
  int reloads = 0, saves = 0, edits_applied = 0;
  for (int step = 0; step < kSteps; ++step) {
    int what = pick(100);
    int items = static_cast<int>(document.item_count());
    bool changed = false;
    if (what < 25) {  // one label
      int index = pick(items + 1) - (pick(10) == 0 ? 1 : 0);  // sometimes out of range
      std::optional<Visibility> label;
      if (pick(5) != 0) label = static_cast<Visibility>(pick(kVisibilityCount));
      changed = document.set_label(index, label, error);
      if (changed) REQUIRE(document.label(index) == label);
      counts[0]++;
    } else if (what < 32) {  // bulk
      std::vector<int> indices;
      for (int k = pick(4) + 1; k > 0; --k) indices.push_back(pick(items));
      auto label = static_cast<Visibility>(pick(kVisibilityCount));
      changed = document.set_labels(indices, label, error);
      if (changed) for (int index : indices) REQUIRE(document.label(index) == label);
      counts[1]++;
    } else if (what < 42) {  // detail
      int index = pick(items);
      std::string detail = kDetails[pick(8)];
      changed = document.edit_detail(index, detail, error);
      if (changed) {
        OverriddenGt gt = document.overridden_gt();
        for (const ScoredGtItem& item : gt.items) {
          if (item.label_index == index) REQUIRE(item.action.detail == detail);
        }
      }
      counts[2]++;
    } else if (what < 48) {  // delete
      int index = pick(items);
      changed = document.delete_action(index, error);
      if (changed && index < 8) REQUIRE(is_deleted(document.state(), index));
      if (changed && index >= 8) REQUIRE(static_cast<int>(document.item_count()) == items - 1);
      counts[3]++;
    } else if (what < 52) {  // restore
      changed = document.restore_action(pick(8), error);
      counts[4]++;
    } else if (what < 58) {  // add (kept bounded so the clip does not grow without end)
      if (items < 16) {
        Action action{pick(25), static_cast<ActionType>(pick(3)), kDetails[pick(8)]};
        changed = document.add_action(action, error);
        REQUIRE(changed);
        REQUIRE(static_cast<int>(document.item_count()) == items + 1);
      }
      counts[5]++;
    } else if (what < 76) {  // undo
      bool could = document.can_undo();
      REQUIRE(document.undo() == could);
      if (could) {
        REQUIRE(done.size() >= 2);
        undone.push_back(done.back());
        done.pop_back();
        REQUIRE(document.state() == done.back());
      }
      counts[6]++;
      continue;
    } else if (what < 88) {  // redo
      bool could = document.can_redo();
      REQUIRE(document.redo() == could);
      if (could) {
        done.push_back(undone.back());
        undone.pop_back();
        REQUIRE(document.state() == done.back());
      }
      counts[7]++;
      continue;
    } else if (what < 96) {  // save
      bool was_dirty = document.dirty();
      SaveOutcome outcome = document.save(message);
      REQUIRE_MESSAGE((outcome == (was_dirty ? SaveOutcome::Saved : SaveOutcome::NothingToSave)), message);
      REQUIRE(!document.dirty());
      saves += was_dirty;
      continue;
    } else {  // save, then reload from disk
      SaveOutcome outcome = document.save(message);
      REQUIRE_MESSAGE(outcome != SaveOutcome::Failed, message);
      REQUIRE(outcome != SaveOutcome::Conflict);
      Json annotations_on_disk = read_json_file(dir.path() / "annotations.json");
      Json overrides_on_disk = read_json_file(dir.path() / "gt_overrides.json");
      REQUIRE(annotations_on_disk == document.annotations_root());
      REQUIRE(overrides_on_disk == document.overrides_root());
      check_untouched(annotations_on_disk, overrides_on_disk);
      ClipSideState before = document.state();
      REQUIRE(document.open(dir.path(), kClip, fixture_canonical(), error));
      REQUIRE(document.state() == before);
      REQUIRE(document.annotations_root() == annotations_on_disk);
      done.assign(1, document.state());
      undone.clear();
      ++reloads;
      continue;
    }
    if (changed) {
      ++edits_applied;
      done.push_back(document.state());
      undone.clear();
      REQUIRE(document.can_undo());
      REQUIRE(!document.can_redo());
    } else {
      REQUIRE(document.state() == done.back());  // a refused edit changes nothing
    }
  }
  MESSAGE("steps " << kSteps << ": edits applied " << edits_applied << ", undo " << counts[6] << ", redo " << counts[7]
                   << ", saves that wrote " << saves << ", reloads " << reloads);
  CHECK(reloads > 300);
  CHECK(edits_applied > 3000);
}
