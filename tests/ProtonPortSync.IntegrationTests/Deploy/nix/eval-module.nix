# Evaluates nix/module.nix with the stub lib, the way the NixOS module system would for one service:
# option defaults overlaid with `settings` (type-checked, unknown names rejected), mkIf/mkMerge resolved.
# Usage: nix-instantiate --store dummy:// --option substituters '' --eval --strict --json \
#          eval-module.nix --arg settings '{ enable = true; }'
{ settings ? { }, modulePath ? ../../../../nix/module.nix }:
let
  inherit (builtins) attrNames concatMap filter foldl' isAttrs isList mapAttrs;

  lib = import ./stub-lib.nix;
  pkgs.proton-port-sync = {
    outPath = "/nix/store/00000000000000000000000000000000-proton-port-sync-0.1.0";
    meta.mainProgram = "proton-port-sync";
  };

  resolve = path: decls: defs:
    let
      unknown = filter (n: !(decls ? ${n})) (attrNames defs);
      value = name: decl:
        if decl._type or null == "option" then
          let v = defs.${name} or decl.default;
          in if decl.type.check v then v
            else throw "${path}.${name}: expected ${decl.type.name}, got ${builtins.typeOf v}"
        else resolve "${path}.${name}" decl (defs.${name} or { });
    in
    if unknown != [ ] then throw "${path}: no such option: ${toString unknown}"
    else mapAttrs value decls;

  # NixOS passes `utils` (nixos/lib/utils.nix) to every module. Same semantics as its escapeSystemdExecArg:
  # JSON-quote the string (a subset of systemd's C-style quoting), then double every % and $.
  utils.escapeSystemdExecArgs = args:
    builtins.concatStringsSep " " (map (a: builtins.replaceStrings [ "%" "$" ] [ "%%" "$$" ] (builtins.toJSON a)) args);

  module = import modulePath { inherit lib pkgs config utils; };
  config.services.proton-port-sync =
    resolve "services.proton-port-sync" module.options.services.proton-port-sync settings;

  flatten = v:
    if v._type or null == "if" then (if v.condition then flatten v.content else [ ])
    else if v._type or null == "merge" then concatMap flatten v.contents
    else [ v ];
  merge = a: b:
    if isAttrs a && isAttrs b then a // mapAttrs (n: v: if a ? ${n} then merge a.${n} v else v) b
    else if isList a && isList b then a ++ b
    else b;
  merged = foldl' merge { } (flatten module.config);
in
{
  # Output so that --strict forces, and so type-checks, every option value, used or not.
  settings = config.services.proton-port-sync;
  failedAssertions = map (a: a.message) (filter (a: !a.assertion) (merged.assertions or [ ]));
  service = merged.systemd.services.proton-port-sync or null;
  polkit = merged.security.polkit or null;
  firewallPorts = merged.networking.firewall.allowedTCPPorts or [ ];
}
