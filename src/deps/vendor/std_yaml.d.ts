// The types of std_yaml.js, which scripts/vendor.ts builds from the sources in std_yaml/: theirs.
export { parse } from "./std_yaml/parse.ts";
export { YamlSyntaxError } from "./std_yaml/types.ts";
