#include "rsv/types.hpp"

namespace idm::rsv {

char severity_letter(Severity severity) {
  switch (severity) {
    case Severity::Error: return 'E';
    case Severity::Warning: return 'W';
    case Severity::Note: return 'N';
  }
  return '?';
}

std::string diagnostic_line(const Diagnostic& diagnostic) {
  std::string line = diagnostic.file;
  if (!diagnostic.pointer.empty()) line += ": " + diagnostic.pointer;
  line += ": " + diagnostic.message;
  return line;
}

}  // namespace idm::rsv
