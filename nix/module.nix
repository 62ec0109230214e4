{ config, lib, pkgs, utils, ... }:

let
  cfg = config.services.proton-port-sync;

  # The directories of port files outside the RuntimeDirectory, made writable ("-": only if they exist).
  portFileDirectories = map (f: "-${dirOf f}") (builtins.filter (f: !lib.hasPrefix "/run/proton-port-sync/" f) cfg.portFiles);

  inherit (lib)
    concatMapStringsSep
    getExe
    literalExpression
    mkEnableOption
    mkIf
    mkMerge
    mkOption
    mkPackageOption
    optional
    optionals
    types
    ;

  # ExecStart is parsed by systemd, not by a shell: utils.escapeSystemdExecArgs writes each value as a
  # double-quoted C-style string (so \, ', ", newlines and spaces stay one argument) and doubles % and $
  # (so no specifier or variable is expanded). Only our own "%d/<id>" arguments (the credentials
  # directory) are written unescaped, below.
  escapeArgs = values: utils.escapeSystemdExecArgs (map toString values);
  # LoadCredential= expands %specifiers but not $VARIABLES.
  credential = id: file: "${id}:${builtins.replaceStrings [ "%" ] [ "%%" ] (toString file)}";

  metricsAddr =
    if lib.hasInfix ":" cfg.metrics.address
    then "[${cfg.metrics.address}]:${toString cfg.metrics.port}"
    else "${cfg.metrics.address}:${toString cfg.metrics.port}";

  clientArgs =
    if cfg.client == "transmission" then
      [ "--client" "transmission" "--transmission-url" cfg.transmission.url ]
      ++ optionals (cfg.transmission.user != null) [ "--transmission-user" cfg.transmission.user ]
      ++ optional cfg.transmission.portTest "--transmission-port-test"
    else if cfg.client == "deluge" then
      [ "--client" "deluge" "--deluge-url" cfg.deluge.url ]
    else if cfg.client == "none" then
      [ "--client" "none" ]
    else
      [ "--qbt-url" cfg.qbtUrl "--qbt-user" cfg.qbtUser ]
      ++ optionals (cfg.qbtAnnouncePort != "reset") [ "--qbt-announce-port" cfg.qbtAnnouncePort ];

  # The secret files (and the CA file) of the selected client. Each goes in with LoadCredential and reaches the
  # daemon only as a file under $CREDENTIALS_DIRECTORY (%d), never as a value. The CA file is public, but a
  # credential is readable by the dynamic user whoever owns the original (e.g. qBittorrent's 0600 certificate).
  secrets = builtins.filter (s: s.file != null) {
    qbittorrent = [
      { id = "qbt-password"; flag = "--qbt-password-file"; file = cfg.qbtPasswordFile; }
      { id = "qbt-api-key"; flag = "--qbt-api-key-file"; file = cfg.qbtApiKeyFile; }
      { id = "qbt-ca"; flag = "--qbt-ca-file"; file = cfg.qbtCaFile; }
    ];
    transmission = [
      { id = "transmission-password"; flag = "--transmission-password-file"; file = cfg.transmission.passwordFile; }
      { id = "transmission-ca"; flag = "--transmission-ca-file"; file = cfg.transmission.caFile; }
    ];
    deluge = [
      { id = "deluge-password"; flag = "--deluge-password-file"; file = cfg.deluge.passwordFile; }
      { id = "deluge-ca"; flag = "--deluge-ca-file"; file = cfg.deluge.caFile; }
    ];
    none = [ ];
  }.${cfg.client};

  # The CA file of the selected client and its URL: a CA file needs an https:// URL (the daemon exits 2 otherwise).
  caFile = { qbittorrent = cfg.qbtCaFile; transmission = cfg.transmission.caFile; deluge = cfg.deluge.caFile; none = null; }.${cfg.client};
  clientUrl = { qbittorrent = cfg.qbtUrl; transmission = cfg.transmission.url; deluge = cfg.deluge.url; none = ""; }.${cfg.client};

  clientUnit = {
    qbittorrent = "qbittorrent.service";
    transmission = "transmission.service";
    deluge = "deluged.service";
    none = null;
  }.${cfg.client};

  execStart = concatMapStringsSep " " (part: if builtins.isString part then part else escapeArgs part.args) ([
    (getExe cfg.package)
    { args = [ "run" "--gateway" cfg.gateway ]
      # The daemon binds to the interface's address when one is named; passing both would be ambiguous.
      ++ (if cfg.interface != null then [ "--interface" cfg.interface ] else [ "--bind-address" cfg.bindAddress ])
      ++ [
        "--internal-port" cfg.internalPort
        "--suggested-port" cfg.suggestedPort
        "--lifetime" cfg.lifetime
        "--renew-interval" cfg.renewInterval
        "--max-failures" cfg.maxFailures
      ]
      ++ clientArgs
      ++ builtins.concatMap (f: [ "--port-file" f ]) cfg.portFiles;
    }
  ]
  ++ map (s: ''"${s.flag}" "%d/${s.id}"'') secrets
  ++ [
    { args =
      optional (cfg.client != "none" && (cfg.reannounce || (cfg.client == "qbittorrent" && cfg.qbtReannounce))) "--reannounce"
      ++ [ "--recovery" cfg.recovery ]
      ++ optionals (cfg.recovery == "systemd") [ "--wg-unit" cfg.wgUnit ]
      # Not read by `run` (the file is root's); passed so `doctor` with the service's arguments checks it.
      ++ optionals (cfg.wgConfigFile != null) [ "--wg-config" cfg.wgConfigFile ]
      ++ optionals (cfg.recovery == "command") [ "--recovery-command" cfg.recoveryCommand ]
      ++ [
        "--recovery-cooldown" cfg.recoveryCooldown
        "--max-recoveries-per-hour" cfg.maxRecoveriesPerHour
        "--recovery-timeout" cfg.recoveryTimeout
      ]
      ++ builtins.concatMap (c: [ "--on-change-command" c ]) cfg.onChangeCommands
      ++ optionals cfg.metrics.enable [ "--metrics-addr" metricsAddr ]
      ++ [ "--log-level" cfg.logLevel ]
      ++ cfg.extraArgs;
    }
  ]);

  # VPN-Confinement and similar: a name means /run/netns/NAME, an absolute path is used as is.
  netnsPath =
    if cfg.networkNamespace == null then null
    else if lib.hasPrefix "/" cfg.networkNamespace then cfg.networkNamespace
    else "/run/netns/${cfg.networkNamespace}";

  # The shipped rule is the template: only its unit-name string changes.
  polkitRule = builtins.replaceStrings
    [ ''"wireguard-wg0.service"'' ]
    [ (builtins.toJSON cfg.wgUnit) ]
    (builtins.readFile ../deploy/polkit/50-proton-port-sync.rules);

  # Same hardening as deploy/systemd/proton-port-sync.service (the tests compare the two).
  hardening = {
    DynamicUser = true;
    User = "proton-port-sync"; # polkit matches this name
    Group = "proton-port-sync";
    UMask = "0077";
    NoNewPrivileges = true;
    CapabilityBoundingSet = "";
    AmbientCapabilities = "";
    RestrictSUIDSGID = true;
    PrivateUsers = true; # D-Bus to systemd still works: the bus sees our real uid via SO_PEERCRED
    ProtectSystem = "strict";
    ProtectHome = true;
    PrivateTmp = true;
    PrivateDevices = true;
    DevicePolicy = "closed";
    PrivateMounts = true;
    RemoveIPC = true;
    # OK only because the daemon writes its own sd_notify datagrams (no /proc/<ppid>/comm detection).
    ProtectProc = "invisible";
    ProcSubset = "pid";
    ProtectKernelTunables = true;
    ProtectKernelModules = true;
    ProtectKernelLogs = true;
    ProtectControlGroups = true;
    ProtectClock = true;
    ProtectHostname = true;
    LockPersonality = true;
    MemoryDenyWriteExecute = true; # NativeAOT: no page is ever both writable and executable
    RestrictRealtime = true;
    RestrictNamespaces = true;
    KeyringMode = "private";
    # AF_UNIX: sd_notify and the system bus; AF_NETLINK: the address of `interface`.
    RestrictAddressFamilies = [ "AF_INET" "AF_INET6" "AF_UNIX" "AF_NETLINK" ];
    # Relaxed: no IPAddressDeny, the gateway, WebUI and scraper addresses are site-specific.
    SystemCallArchitectures = "native";
    SystemCallFilter = [ "@system-service" "~@privileged @resources" ];
    SystemCallErrorNumber = "EPERM"; # relaxed from kill: the runtime falls back when an optional call fails
  };
in
{
  options.services.proton-port-sync = {
    enable = mkEnableOption "proton-port-sync, which keeps the torrent client's listening port equal to the ProtonVPN NAT-PMP forwarded port";

    package = mkPackageOption pkgs "proton-port-sync" { };

    gateway = mkOption {
      type = types.str;
      default = "10.2.0.1";
      description = "Address of the NAT-PMP gateway (ProtonVPN's WireGuard peer).";
    };

    bindAddress = mkOption {
      type = types.str;
      default = "10.2.0.2";
      description = "Local tunnel address the NAT-PMP socket binds to, so replies follow policy routing back (unused when {option}`interface` is set).";
    };

    interface = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "wg0";
      description = "Bind to this interface's address instead of {option}`bindAddress`.";
    };

    internalPort = mkOption {
      type = types.port;
      default = 0;
      description = "Internal port in the mapping request; ProtonVPN documents 0.";
    };

    suggestedPort = mkOption {
      type = types.port;
      default = 1;
      description = "Suggested external port in the first request; renewals suggest the port last granted.";
    };

    lifetime = mkOption {
      type = types.ints.positive;
      default = 60;
      description = "Requested mapping lifetime in seconds.";
    };

    renewInterval = mkOption {
      type = types.ints.positive;
      default = 45;
      description = "Seconds between renewals; must be shorter than {option}`lifetime`.";
    };

    maxFailures = mkOption {
      type = types.ints.positive;
      default = 3;
      description = "Consecutive failed renewals before the recovery action runs.";
    };

    client = mkOption {
      type = types.enum [ "qbittorrent" "transmission" "deluge" "none" ];
      default = "qbittorrent";
      description = ''
        The torrent client kept on the forwarded port; "none" keeps only {option}`portFiles` and
        {option}`onChangeCommands` (at least one of them is then required).
      '';
    };

    transmission = {
      url = mkOption {
        type = types.str;
        default = "http://127.0.0.1:9091/transmission/rpc";
        description = "Transmission RPC URL (with {option}`client` = \"transmission\").";
      };

      user = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "Transmission RPC user name, when RPC authentication is on.";
      };

      passwordFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "File holding the Transmission RPC password, passed with LoadCredential.";
      };

      caFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "PEM file with the certificate of Transmission's HTTPS endpoint (e.g. a reverse proxy) or its CA, trusted instead of the system's store; needs an https:// {option}`transmission.url`.";
      };

      portTest = mkOption {
        type = types.bool;
        default = false;
        description = ''
          Ask Transmission's `port-test` after each port change and every 15 minutes whether the port is
          open, and export the answer as the client's connection status. Off by default: the test is made
          by an outside service (Transmission's), which learns the port and the public address.
        '';
      };
    };

    deluge = {
      url = mkOption {
        type = types.str;
        default = "http://127.0.0.1:8112/json";
        description = "Deluge web JSON-RPC URL (with {option}`client` = \"deluge\").";
      };

      passwordFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "File holding the Deluge web password, passed with LoadCredential (required for Deluge).";
      };

      caFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "PEM file with the certificate of deluge-web's HTTPS server or its CA, trusted instead of the system's store; needs an https:// {option}`deluge.url`.";
      };
    };

    qbtUrl = mkOption {
      type = types.str;
      default = "http://127.0.0.1:8080";
      description = "Base URL of the qBittorrent WebUI.";
    };

    qbtUser = mkOption {
      type = types.str;
      default = "admin";
      description = "qBittorrent WebUI user name.";
    };

    qbtPasswordFile = mkOption {
      type = types.nullOr types.path;
      default = null;
      example = "/run/secrets/qbittorrent/webui_password";
      description = ''
        File holding the WebUI password, passed with LoadCredential (it never enters the Nix store or
        the command line). Give an absolute path as a string, e.g. a sops-nix or agenix secret.
      '';
    };

    qbtApiKeyFile = mkOption {
      type = types.nullOr types.path;
      default = null;
      description = "File holding a qBittorrent ≥ 5.2 API key, used instead of {option}`qbtPasswordFile`.";
    };

    qbtCaFile = mkOption {
      type = types.nullOr types.path;
      default = null;
      example = "/var/lib/qbittorrent/webui.crt";
      description = ''
        PEM file with the WebUI's certificate (a self-signed one) or the CA that signed it, trusted instead of
        the system's store for an https:// {option}`qbtUrl`; the host name is still checked and verification is
        never turned off.
      '';
    };

    qbtAnnouncePort = mkOption {
      type = types.enum [ "reset" "forwarded" ];
      default = "reset";
      description = ''
        qBittorrent ≥ 5.1's "port reported to trackers" (announce_port): when non-zero, trackers are told
        it instead of the listening port. "reset" sets it to 0 (trackers hear the listening port, which is
        the forwarded one); "forwarded" sets it to the forwarded port itself.
      '';
    };

    reannounce = mkOption {
      type = types.bool;
      default = false;
      description = "Ask the torrent client (qBittorrent, Transmission or Deluge) to reannounce every torrent to its trackers after the port changes.";
    };

    qbtReannounce = mkOption {
      type = types.bool;
      default = false;
      description = "The original module's name of {option}`reannounce`, kept for qBittorrent set-ups that use it.";
    };

    wgUnit = mkOption {
      type = types.str;
      default = "wireguard-wg0.service";
      example = "wg-quick-wg0.service";
      description = "The WireGuard unit this service is bound to and that the systemd recovery restarts.";
    };

    wgConfigFile = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "/etc/wireguard/wg0.conf";
      description = ''
        The tunnel's wg-quick configuration, for `proton-port-sync doctor --wg-config` (whether Proton
        turned port forwarding on for its key, and whether the address and gateway match). A path as a
        string, never a Nix path: the file holds the private key, which must not be copied into the
        store. The daemon itself never reads it.
      '';
    };

    recovery = mkOption {
      type = types.enum [ "systemd" "command" "none" ];
      default = "systemd";
      description = ''
        What to do after {option}`maxFailures` failed renewals: restart {option}`wgUnit` over D-Bus
        (a polkit rule allowing exactly that is added), run {option}`recoveryCommand`, or nothing.
      '';
    };

    recoveryCommand = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = "Command for recovery = \"command\"; it runs inside the service's sandbox, without privileges.";
    };

    recoveryCooldown = mkOption {
      type = types.ints.positive;
      default = 10;
      description = "Seconds to wait after a recovery before renewing again.";
    };

    maxRecoveriesPerHour = mkOption {
      type = types.ints.unsigned;
      default = 4;
      description = "Upper bound on recoveries in any hour, so a dead tunnel is not restarted in a loop.";
    };

    logLevel = mkOption {
      type = types.enum [ "trace" "debug" "information" "warning" "error" ];
      default = "information";
      description = "Minimum log level.";
    };

    metrics = {
      enable = mkEnableOption "the Prometheus endpoint (/metrics, /healthz, /status)";

      address = mkOption {
        type = types.str;
        default = "127.0.0.1";
        description = "Address the metrics endpoint listens on.";
      };

      port = mkOption {
        type = types.port;
        default = 9834;
        description = "Port of the metrics endpoint.";
      };

      openFirewall = mkOption {
        type = types.bool;
        default = false;
        description = "Open {option}`metrics.port` in the firewall.";
      };
    };

    recoveryTimeout = mkOption {
      type = types.ints.positive;
      default = 20;
      description = ''
        Seconds one recovery (the D-Bus call, or {option}`recoveryCommand` run as `sh -c`) may take. The
        daemon caps it below half of WatchdogSec (60 s) minus the request timeout, so that a recovery
        never makes the watchdog kill the daemon.
      '';
    };

    portFiles = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "/run/proton-port-sync/port" ];
      description = ''
        Files that receive the forwarded port (one `--port-file` each, mode 0644), e.g. for a firewall
        rule or another service to read. Put them under /run/proton-port-sync/ (the service's
        RuntimeDirectory, 0755); a file elsewhere gets its directory added to ReadWritePaths=. See docs/deploy.md for an nftables example that opens the port.
      '';
    };

    onChangeCommands = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "logger -t proton-port-sync \"forwarded port is now $FORWARDED_PORT\"" ];
      description = ''
        Shell commands run after the forwarded port changes (one `--on-change-command` each); each runs
        as `sh -c CMD sh PORT` inside the service's sandbox, without privileges: the port is `$1` and
        `$FORWARDED_PORT`, the one this hook last opened `$FORWARDED_PREVIOUS_PORT`. Something that needs
        root (nft) belongs in a root unit that watches a port file: see docs/deploy.md.
      '';
    };

    networkNamespace = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "wg";
      description = ''
        Run the daemon inside this network namespace (NetworkNamespacePath=): a name means
        /run/netns/NAME, an absolute path is used as is. For the VPN-Confinement pattern, where
        the tunnel and the torrent client live in a dedicated namespace.
      '';
    };

    networkNamespaceUnit = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "wg.service";
      description = "The unit that creates {option}`networkNamespace`; the daemon starts after it and stops with it.";
    };

    extraArgs = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "--qbt-reannounce" ];
      description = "Further command-line arguments, each passed as one argument.";
    };
  };

  config = mkIf cfg.enable (mkMerge [
    {
      assertions = [
        {
          assertion = cfg.qbtPasswordFile == null || cfg.qbtApiKeyFile == null;
          message = "services.proton-port-sync: set qbtPasswordFile or qbtApiKeyFile, not both.";
        }
        {
          assertion = cfg.client != "deluge" || cfg.deluge.passwordFile != null;
          message = "services.proton-port-sync: client = \"deluge\" needs deluge.passwordFile.";
        }
        {
          assertion = cfg.client != "qbittorrent" || cfg.qbtPasswordFile != null || cfg.qbtApiKeyFile != null;
          message = "services.proton-port-sync: client = \"qbittorrent\" needs qbtPasswordFile (or qbtApiKeyFile): the WebUI credential, passed with LoadCredential.";
        }
        {
          assertion = cfg.client != "transmission" || cfg.transmission.user == null || cfg.transmission.passwordFile != null;
          message = "services.proton-port-sync: transmission.user is set, so transmission.passwordFile is needed.";
        }
        {
          assertion = caFile == null || lib.hasPrefix "https://" clientUrl;
          message = "services.proton-port-sync: a CA file is set for ${cfg.client} but its URL '${clientUrl}' is not https://.";
        }
        {
          assertion = cfg.client != "none" || cfg.portFiles != [ ] || cfg.onChangeCommands != [ ];
          message = "services.proton-port-sync: client = \"none\" keeps nothing in sync: set portFiles or onChangeCommands.";
        }
        {
          assertion = cfg.networkNamespaceUnit == null || cfg.networkNamespace != null;
          message = "services.proton-port-sync: networkNamespaceUnit needs networkNamespace.";
        }
        {
          assertion = cfg.recovery != "command" || cfg.recoveryCommand != null;
          message = "services.proton-port-sync: recovery = \"command\" needs recoveryCommand.";
        }
        {
          assertion = cfg.wgConfigFile == null || (lib.hasPrefix "/" cfg.wgConfigFile && !lib.hasPrefix builtins.storeDir cfg.wgConfigFile);
          message = "services.proton-port-sync: wgConfigFile must be an absolute path outside the Nix store (the file holds the tunnel's private key), e.g. \"/etc/wireguard/wg0.conf\".";
        }
        {
          assertion = cfg.renewInterval < cfg.lifetime;
          message = "services.proton-port-sync: renewInterval (${toString cfg.renewInterval}) must be shorter than lifetime (${toString cfg.lifetime}), or the mapping lapses between renewals.";
        }
      ];

      systemd.services.proton-port-sync = {
        description = "ProtonVPN NAT-PMP port sync for the torrent client";
        # Bound to the tunnel (stop with it) and wanted by it (start again with it): see docs/deploy.md.
        after = [ "network-online.target" cfg.wgUnit ] ++ optional (clientUnit != null) clientUnit ++ optional (cfg.networkNamespaceUnit != null) cfg.networkNamespaceUnit;
        bindsTo = [ cfg.wgUnit ] ++ optional (cfg.networkNamespaceUnit != null) cfg.networkNamespaceUnit;
        wants = [ "network-online.target" ] ++ optional (clientUnit != null) clientUnit;
        wantedBy = [ "multi-user.target" cfg.wgUnit ];

        # A small gen0 budget (hex bytes: 512 KiB) keeps RSS low and flat under scraping; the runtime reads it only
        # from the environment (benchmarks/footprint/README.md).
        environment.DOTNET_GCgen0size = "80000";

        serviceConfig = hardening // {
          Type = "notify";
          NotifyAccess = "main";
          WatchdogSec = 60;
          ExecStart = execStart;
          Restart = "on-failure";
          RestartSec = "5s";
          TimeoutStopSec = "15s";
          TimeoutAbortSec = "5s"; # a watchdog-aborted daemon is hung: no need for the stop grace
          LoadCredential = map (s: credential s.id s.file) secrets;
          # The recovery history ($STATE_DIRECTORY/recoveries) survives the restart a tunnel restart causes.
          StateDirectory = "proton-port-sync";
          StateDirectoryMode = "0700";
          # Port files for other programs: /run/proton-port-sync/ is writable under ProtectSystem=strict and readable
          # by everyone; a port file elsewhere gets its directory in ReadWritePaths (below).
          RuntimeDirectory = "proton-port-sync";
          RuntimeDirectoryMode = "0755";
          MemoryMax = "64M";
          TasksMax = 64;
        } // lib.optionalAttrs (portFileDirectories != [ ]) {
          ReadWritePaths = portFileDirectories;
        } // lib.optionalAttrs (netnsPath != null) {
          NetworkNamespacePath = netnsPath;
        };
      };
    }

    (mkIf (cfg.recovery == "systemd") {
      security.polkit.enable = true;
      security.polkit.extraConfig = polkitRule;
    })

    (mkIf (cfg.metrics.enable && cfg.metrics.openFirewall) {
      networking.firewall.allowedTCPPorts = [ cfg.metrics.port ];
    })
  ]);
}
