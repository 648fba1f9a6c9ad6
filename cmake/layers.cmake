# Writes the declared module graph (each core module and the modules it links) to
# layers.json and runs scripts/check_layers.py on it in every build: an include of an
# undeclared module, a cycle, GL/ImGui in core, or app/gui in CLI code fails the build.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
get_property(layer_modules GLOBAL PROPERTY IDMSCOPE_CORE_MODULES)
set(layer_json "{\n")
set(layer_separator "")
foreach(module IN LISTS layer_modules)
  get_property(module_depends GLOBAL PROPERTY IDMSCOPE_CORE_MODULE_DEPENDS_${module})
  list(TRANSFORM module_depends REPLACE "(.+)" "\"\\1\"")
  list(JOIN module_depends ", " module_depends_json)
  string(APPEND layer_json "${layer_separator}  \"${module}\": [${module_depends_json}]")
  set(layer_separator ",\n")
endforeach()
string(APPEND layer_json "\n}\n")
file(WRITE ${CMAKE_BINARY_DIR}/layers.json "${layer_json}")
add_custom_target(layer_check ALL
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/check_layers.py ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/layers.json
  COMMENT "Checking the module graph (scripts/check_layers.py)"
  VERBATIM)
# The linker's half: a module library that needs a symbol of a module it does not declare
# (a function declared low but defined high) fails the build too, once the libraries exist.
list(TRANSFORM layer_modules PREPEND idmscope_ OUTPUT_VARIABLE layer_libraries)
add_custom_target(layer_symbol_check ALL
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/check_module_symbols.py ${CMAKE_BINARY_DIR}/layers.json ${CMAKE_BINARY_DIR}/core
  COMMENT "Checking which module defines each symbol a module uses (scripts/check_module_symbols.py)"
  VERBATIM)
add_dependencies(layer_symbol_check ${layer_libraries})
