#include "folder_picker.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstring>

namespace idm::gui {

namespace {

bool looks_like_dataset(const std::filesystem::path& directory) {
  std::error_code code;
  for (auto it = std::filesystem::directory_iterator(directory, code); !code && it != std::filesystem::directory_iterator(); it.increment(code)) {
    if (it->is_directory(code) && it->path().filename().string().starts_with("clips_recording_")) return true;
  }
  return false;
}

}  // namespace

void FolderPicker::open(const std::string& title, Mode mode, const std::filesystem::path& start) {
  title_ = title;
  mode_ = mode;
  open_ = just_opened_ = true;
  error_.clear();
  std::error_code code;
  list(std::filesystem::is_directory(start, code) ? start : std::filesystem::current_path(code));
}

void FolderPicker::list(const std::filesystem::path& directory) {
  std::error_code code;
  directory_ = std::filesystem::absolute(directory, code).lexically_normal();
  std::string text = directory_.string();
  std::strncpy(path_text_, text.c_str(), sizeof path_text_ - 1);
  entries_.clear();
  auto it = std::filesystem::directory_iterator(directory_, std::filesystem::directory_options::skip_permission_denied, code);
  if (code) {
    error_ = directory_.string() + ": " + code.message();
    return;
  }
  error_.clear();
  for (; it != std::filesystem::directory_iterator(); it.increment(code)) {
    if (code) break;
    std::string name = it->path().filename().string();
    if (name.starts_with(".")) continue;
    bool directory_entry = it->is_directory(code);
    bool wanted_file = mode_ == Mode::File || (mode_ == Mode::FolderOrJson && it->path().extension() == ".json");
    if (!directory_entry && !wanted_file) continue;
    entries_.push_back({name, directory_entry, directory_entry && looks_like_dataset(it->path())});
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    if (a.is_directory != b.is_directory) return a.is_directory;
    return a.name < b.name;
  });
}

bool FolderPicker::draw(std::string& picked) {
  if (!open_) return false;
  if (just_opened_) {
    ImGui::OpenPopup(title_.c_str());
    just_opened_ = false;
  }
  bool chosen = false;
  ImGui::SetNextWindowSize(ImVec2(720, 520), ImGuiCond_Appearing);
  if (ImGui::BeginPopupModal(title_.c_str(), &open_)) {
    ImGui::SetNextItemWidth(-90);
    if (ImGui::InputText("##path", path_text_, sizeof path_text_, ImGuiInputTextFlags_EnterReturnsTrue)) {
      std::error_code code;
      if (mode_ != Mode::Folder && std::filesystem::is_regular_file(path_text_, code)) {
        picked = path_text_;  // Enter on a typed file path picks it
        chosen = true;
      } else {
        list(path_text_);
      }
    }
    ImGui::SameLine();
    if (ImGui::Button("Up")) list(directory_.parent_path());
    if (!error_.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.45f, 1), "%s", error_.c_str());
    ImGui::BeginChild("entries", ImVec2(0, -40), true);
    std::filesystem::path next;
    for (const Entry& entry : entries_) {
      std::string label = (entry.is_directory ? "[dir]  " : "       ") + entry.name + (entry.is_dataset ? "   (dataset)" : "");
      if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick) && ImGui::IsMouseDoubleClicked(0)) {
        if (entry.is_directory) next = directory_ / entry.name;
        else {
          picked = (directory_ / entry.name).string();
          chosen = true;
        }
      }
    }
    ImGui::EndChild();
    if (!next.empty()) list(next);
    if (mode_ != Mode::File && ImGui::Button("Open this folder")) {
      picked = directory_.string();
      chosen = true;
    }
    if (mode_ == Mode::File && ImGui::Button("Pick the typed path")) {
      std::error_code code;
      if (std::filesystem::is_regular_file(path_text_, code)) {
        picked = path_text_;
        chosen = true;
      } else {
        error_ = std::string(path_text_) + ": not a file";
      }
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) open_ = false;
    ImGui::SameLine();
    ImGui::TextDisabled("double-click a folder to enter it%s", mode_ == Mode::FolderOrJson ? ", or a .json file to pick it"
                                                               : mode_ == Mode::File   ? ", or a file to pick it"
                                                                                       : "");
    if (chosen) open_ = false;
    if (!open_) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  } else {
    open_ = false;
  }
  return chosen;
}

}  // namespace idm::gui
