# A small stand-in for the parts of nixpkgs `lib` that nix/module.nix uses: there is no nixpkgs on this
# machine. escapeShellArg(s) copy nixpkgs' definitions, so the ExecStart under test is the one NixOS builds.
# Types carry a `check` so eval-module.nix can reject a definition of the wrong type, as NixOS would.
let
  inherit (builtins) all concatStringsSep elem genList isAttrs isBool isInt isList isPath isString
    match replaceStrings stringLength substring;

  mkType = name: check: { inherit name check; };
in
rec {
  mkOption = attrs: attrs // { _type = "option"; };
  mkEnableOption = name: mkOption {
    type = types.bool;
    default = false;
    description = "Whether to enable ${name}.";
  };
  mkPackageOption = pkgs: name: _: mkOption {
    type = types.package;
    default = pkgs.${name};
  };

  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  literalExpression = text: { _type = "literalExpression"; inherit text; };

  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
  optionalAttrs = cond: attrs: if cond then attrs else { };
  concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
  hasPrefix = prefix: content: substring 0 (stringLength prefix) content == prefix;

  hasInfix = infix: content:
    let n = stringLength infix;
    in builtins.any (i: substring i n content == infix) (genList (i: i) (stringLength content - n + 1));

  escapeShellArg = arg:
    let string = toString arg;
    in if match "[[:alnum:],._+:@%/-]+" string == null
      then "'${replaceStrings [ "'" ] [ "'\\''" ] string}'"
      else string;
  escapeShellArgs = args: concatStringsSep " " (map escapeShellArg args);

  getExe = pkg: "${pkg}/bin/${pkg.meta.mainProgram}";

  types = {
    str = mkType "string" isString;
    bool = mkType "boolean" isBool;
    port = mkType "16 bit unsigned integer" (v: isInt v && v >= 0 && v <= 65535);
    path = mkType "path" (v: isPath v || (isString v && substring 0 1 v == "/"));
    package = mkType "package" isAttrs;
    ints = {
      positive = mkType "positive integer" (v: isInt v && v > 0);
      unsigned = mkType "unsigned integer" (v: isInt v && v >= 0);
    };
    enum = values: mkType "one of ${concatStringsSep ", " values}" (v: elem v values);
    nullOr = t: mkType "null or ${t.name}" (v: v == null || t.check v);
    listOf = t: mkType "list of ${t.name}" (v: isList v && all t.check v);
  };
}
