{
  description = "proton-port-sync: keep the torrent client's listening port equal to the ProtonVPN NAT-PMP forwarded port";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: rec {
        proton-port-sync = pkgs.callPackage ./nix/package.nix { };
        default = proton-port-sync;
      });

      overlays.default = final: _prev: {
        proton-port-sync = final.callPackage ./nix/package.nix { };
      };

      # The module's package defaults to this flake's build; the overlay is not required.
      nixosModules.default = { lib, pkgs, ... }: {
        imports = [ ./nix/module.nix ];
        services.proton-port-sync.package =
          lib.mkDefault self.packages.${pkgs.stdenv.hostPlatform.system}.default;
      };
      nixosModules.proton-port-sync = self.nixosModules.default;

      checks = forAllSystems (pkgs: {
        package = self.packages.${pkgs.stdenv.hostPlatform.system}.default;
      });
    };
}
