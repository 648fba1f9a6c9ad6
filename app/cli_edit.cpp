// `idmscope edit`: scripted labelling and override editing, through the same document, undo
// and save code as the viewer's editor (core/edit/clip_document.hpp).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "edit/clip_document.hpp"
#include "dataset/dataset.hpp"
#include "scoring/predictions.hpp"
#include "util/python_compat.hpp"

namespace idm::cli {

namespace {

const char* kEditHelp =
    "usage: idmscope edit DATASET --clip KEY [--label IDX=LABEL]... [--edit IDX=DETAIL]... [--delete IDX]...\n"
    "                     [--restore IDX]... [--add FRAME:TYPE:DETAIL]... [--undo]... [--redo]... [--dry-run] [--show]\n"
    "  Applies the operations in command-line order to one clip's visibility labels\n"
    "  (annotations.json) and GT overrides (gt_overrides.json), then saves both files atomically.\n"
    "  IDX is a GT index: 0..N-1 for the clip's canonical GT, N+k for its k-th addition.\n"
    "  LABEL: visible, inferable, ambiguous, not_predictable, or none (removes the label).\n"
    "  --delete of an addition removes it from the additions list (later additions move down).\n"
    "  --restore IDX undoes the deletion of canonical action IDX.\n"
    "  --add FRAME:TYPE:DETAIL: FRAME is 8 or F08; TYPE KeyPress, MouseClick or MouseScroll.\n"
    "  --undo / --redo step through the operations given before them.\n"
    "  --show prints the clip's GT after overrides with labels and provenance; --dry-run writes nothing\n"
    "  (an interrupted editor save is read as it decided and left for the editor to finish).\n"
    "  Saves take a lock in the dataset folder, so edits from several processes never overwrite\n"
    "  each other: if another program changed a side file since it was read, your operations are\n"
    "  re-applied onto the new content and the merge is reported on stderr, with a line for every\n"
    "  entry of the other program's that yours replaced. The replaced version of each file is kept\n"
    "  as <file>.bak.\n"
    "  Exit 0: done; 1: an operation did not apply (nothing saved) or the save failed; 2: bad\n"
    "  command line, unknown clip, or unusable side files.\n";

struct Operation {
  std::string option;  // --label, --edit, ...
  std::string value;
};

// The operations in the order given (Args groups values by name, and order matters here).
std::vector<Operation> operations_in_order(int argc, char** argv) {
  std::vector<Operation> out;
  for (int i = 2; i < argc; ++i) {
    std::string item = argv[i];
    if (item == "--undo" || item == "--redo") {
      out.push_back({item, ""});
      continue;
    }
    for (const char* name : {"--label", "--edit", "--delete", "--restore", "--add"}) {
      if (item == name && i + 1 < argc) out.push_back({name, argv[++i]});
      else if (item.starts_with(std::string(name) + "=")) out.push_back({name, item.substr(std::strlen(name) + 1)});
    }
  }
  return out;
}

int parse_index(const std::string& text, const std::string& option) {
  int64_t value = 0;
  if (!py::parse_int(text, value) || value < 0 || value > 100000000) throw UsageError{option + ": '" + text + "' is not a GT index"};
  return static_cast<int>(value);
}

// "IDX=REST" -> (IDX, REST).
std::pair<int, std::string> split_assignment(const std::string& text, const std::string& option) {
  size_t equals = text.find('=');
  if (equals == std::string::npos) throw UsageError{option + " expects IDX=VALUE, got '" + text + "'"};
  return {parse_index(text.substr(0, equals), option), text.substr(equals + 1)};
}

Action parse_addition(const std::string& text) {
  size_t first = text.find(':'), second = first == std::string::npos ? first : text.find(':', first + 1);
  if (second == std::string::npos) throw UsageError{"--add expects FRAME:TYPE:DETAIL, got '" + text + "'"};
  Action action;
  std::string frame = text.substr(0, first), type = text.substr(first + 1, second - first - 1);
  int64_t number = 0;
  if (!(py::parse_int(frame, number) && number >= 0 && number <= 1000000) && !parse_frame_label(frame, action.frame)) {
    throw UsageError{"--add: frame '" + frame + "' is not a frame number or Fnn"};
  }
  if (py::parse_int(frame, number)) action.frame = static_cast<int>(number);
  if (!parse_action_type(type, action.type)) throw UsageError{"--add: unknown type '" + type + "' (KeyPress, MouseClick, MouseScroll)"};
  action.detail = text.substr(second + 1);
  return action;
}

bool apply_operation(edit::ClipDocument& document, const Operation& operation, bool& unchanged, std::string& error) {
  if (operation.option == "--undo") {
    if (!document.undo()) error = "nothing to undo";
    return error.empty();
  }
  if (operation.option == "--redo") {
    if (!document.redo()) error = "nothing to redo";
    return error.empty();
  }
  if (operation.option == "--label") {
    auto [index, name] = split_assignment(operation.value, "--label");
    std::optional<Visibility> label;
    Visibility visibility;
    if (name != "none") {
      if (!parse_visibility(name, visibility)) throw UsageError{"--label: '" + name + "' is not visible, inferable, ambiguous, not_predictable or none"};
      label = visibility;
    }
    if (index < static_cast<int>(document.item_count()) && document.label(index) == label) {
      unchanged = true;  // scripts may repeat themselves: already so is not an error
      return true;
    }
    return document.set_label(index, label, error);
  }
  if (operation.option == "--edit") {
    auto [index, detail] = split_assignment(operation.value, "--edit");
    for (const ScoredGtItem& item : document.overridden_gt().items) {
      if (item.label_index == index && item.action.detail == detail) unchanged = true;
    }
    return unchanged || document.edit_detail(index, detail, error);
  }
  if (operation.option == "--delete") return document.delete_action(parse_index(operation.value, "--delete"), error);
  if (operation.option == "--restore") return document.restore_action(parse_index(operation.value, "--restore"), error);
  return document.add_action(parse_addition(operation.value), error);
}

const char* provenance_name(Provenance provenance) {
  switch (provenance) {
    case Provenance::Original: return "original";
    case Provenance::Edited: return "edited";
    case Provenance::Added: return "added";
  }
  return "?";
}

void show(const edit::ClipDocument& document) {
  OverriddenGt gt = document.overridden_gt();
  auto [labelled, total] = document.label_progress();
  std::printf("%s: %zu canonical, %zu additions, labelled %d/%d\n", document.clip_key().c_str(), gt.canonical_count, gt.addition_count,
              labelled, total);
  for (const ScoredGtItem& item : gt.items) {
    auto label = document.label(item.label_index);
    std::printf("  %4d  F%02d  %-11s %-20s %-9s %s\n", item.label_index, item.action.frame, action_type_name(item.action.type),
                item.action.detail.c_str(), provenance_name(item.provenance), label ? visibility_name(*label) : "-");
  }
  for (size_t i = 0; i < gt.deleted.size(); ++i) {
    if (gt.deleted[i]) {
      const Action& action = document.canonical_gt()[i];
      std::printf("  %4zu  F%02d  %-11s %-20s deleted\n", i, action.frame, action_type_name(action.type), action.detail.c_str());
    }
  }
}

}  // namespace

int run_edit(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kEditHelp, stdout);
    return 0;
  }
  auto clip_key = args.value("--clip");
  bool dry_run = args.flag("--dry-run");
  bool show_result = args.flag("--show");
  for (const char* name : {"--label", "--edit", "--delete", "--restore", "--add"}) args.values(name);
  args.flag("--undo");
  args.flag("--redo");
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one dataset folder (see --help)"};
  if (!clip_key) throw UsageError{"--clip KEY is required"};
  std::vector<Operation> operations = operations_in_order(argc, argv);
  for (const Operation& operation : operations) {  // check the syntax of all before touching anything
    if (operation.option == "--label" || operation.option == "--edit") split_assignment(operation.value, operation.option);
    else if (operation.option == "--add") parse_addition(operation.value);
    else if (operation.option == "--delete" || operation.option == "--restore") parse_index(operation.value, operation.option);
  }

  Dataset dataset;
  std::string error;
  DatasetLoadOptions options;
  options.probe_videos = false;
  if (!load_dataset(positional[0], options, dataset, error)) {
    std::fprintf(stderr, "idmscope edit: %s\n", error.c_str());
    return 2;
  }
  const DatasetClip* clip = dataset.find(*clip_key);
  if (!clip) {
    std::fprintf(stderr, "idmscope edit: no clip '%s' in %s (see idmscope summary)\n", clip_key->c_str(), positional[0].c_str());
    return 2;
  }
  if (!clip->loaded) {
    std::fprintf(stderr, "idmscope edit: %s: %s\n", clip_key->c_str(), clip->error.c_str());
    return 2;
  }
  edit::ClipDocument document;
  // A dry run writes nothing, not even the completion of an interrupted save.
  edit::ClipDocument::Access access = dry_run ? edit::ClipDocument::Access::ReadOnly : edit::ClipDocument::Access::Edit;
  if (!document.open(dataset.root, clip->key, clip->canonical_gt, error, access)) {
    std::fprintf(stderr, "idmscope edit: %s\n", error.c_str());
    return 2;
  }
  if (!document.open_note().empty()) std::fprintf(stderr, "idmscope edit: note: %s\n", document.open_note().c_str());
  for (const Operation& operation : operations) {
    error.clear();
    bool unchanged = false;
    if (!apply_operation(document, operation, unchanged, error)) {
      std::fprintf(stderr, "idmscope edit: %s %s: %s (nothing saved)\n", operation.option.c_str(), operation.value.c_str(), error.c_str());
      return 1;
    }
    if (unchanged) {
      std::printf("%s %s: already so, unchanged\n", operation.option.c_str(), operation.value.c_str());
      continue;
    }
    const edit::EditStep* step = operation.option == "--undo" ? document.next_redo() : document.last_step();
    std::printf("%s%s\n", operation.option == "--undo" ? "undo: " : operation.option == "--redo" ? "redo: " : "", step ? step->description.c_str() : "");
  }
  if (show_result) show(document);
  if (dry_run) return 0;
  std::string message;
  // Merged under the save lock when another program changed the files since they were read:
  // nothing can slip in between the check and the write.
  edit::SaveOutcome outcome = document.save(message, edit::OnConflict::Merge);
  if (const auto& merge = document.last_merge()) {
    std::fprintf(stderr, "idmscope edit: %s\n", merge->summary.c_str());
    for (const std::string& note : merge->result.notes) std::fprintf(stderr, "idmscope edit: merge: %s\n", note.c_str());
  }
  if (outcome == edit::SaveOutcome::Failed) {
    std::fprintf(stderr, "idmscope edit: %s\n", message.c_str());
    return 1;
  }
  std::printf("%s\n", message.c_str());
  return 0;
}

}  // namespace idm::cli
