// The floor of a renewal cycle (benchmarks/footprint/README.md, round 9): the daemon's per-cycle work on the wire and
// nothing else, in C, on one thread, blocking. Each cycle, 1 s apart, the same exchanges the daemon makes with
// --renew-interval 1 against qBittorrent: a NAT-PMP UDP mapping, a NAT-PMP TCP mapping (RFC 6886 §3.3, lifetime 60 s),
// GET /api/v2/app/preferences and GET /api/v2/transfer/info on one keep-alive connection; setPreferences only when
// listen_port differs from the mapped port. No metrics, no validation beyond what keeps it honest, no logging: what the
// kernel and a minimal program charge for the cycle, so that the daemon's and the loop's figures can be read against it.
//
//   floor GATEWAY BIND_ADDRESS WEBUI_ADDRESS WEBUI_PORT PASSWORD_FILE COUNT_FILE INTERNAL_PORT
//
// COUNT_FILE holds the number of completed cycles (rewritten after each). Exits non-zero on any unexpected answer.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int tcp;
static char answer[256 * 1024];
static char host[64];
static char cookie[256];

static void fail(const char *what) {
  fprintf(stderr, "floor: %s\n", what);
  exit(1);
}

static void send_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t sent = send(fd, data, length, MSG_NOSIGNAL);
    if (sent <= 0) fail("send to the WebUI failed");
    data += sent;
    length -= (size_t)sent;
  }
}

// One HTTP/1.1 exchange on the keep-alive connection; the body starts at answer + *body (NUL-terminated). Returns the status.
static int exchange(const char *method, const char *path, const char *form, size_t *body) {
  char request[2048];
  int n = snprintf(request, sizeof request, "%s %s HTTP/1.1\r\nHost: %s\r\n%s%s%s", method, path, host,
                   cookie[0] ? "Cookie: " : "", cookie, cookie[0] ? "\r\n" : "");
  if (form) {
    n += snprintf(request + n, sizeof request - (size_t)n,
                  "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s", strlen(form), form);
  } else {
    n += snprintf(request + n, sizeof request - (size_t)n, "\r\n");
  }
  if (n >= (int)sizeof request) fail("request too long");
  send_all(tcp, request, (size_t)n);

  size_t got = 0;
  char *head_end = NULL;
  while (!head_end) {
    ssize_t r = recv(tcp, answer + got, sizeof answer - 1 - got, 0);
    if (r <= 0) fail("the WebUI closed the connection or timed out");
    got += (size_t)r;
    answer[got] = 0;
    head_end = strstr(answer, "\r\n\r\n");
    if (!head_end && got == sizeof answer - 1) fail("answer head too large");
  }
  *head_end = 0;
  const char *length_field = strcasestr(answer, "\r\nContent-Length:");
  size_t length = length_field ? strtoul(length_field + 17, NULL, 10) : 0;
  *head_end = '\r';
  size_t start = (size_t)(head_end - answer) + 4;
  if (start + length >= sizeof answer) fail("answer too large");
  while (got < start + length) {
    ssize_t r = recv(tcp, answer + got, sizeof answer - 1 - got, 0);
    if (r <= 0) fail("the WebUI broke off its answer");
    got += (size_t)r;
  }
  answer[start + length] = 0;
  *body = start;
  return atoi(answer + 9);
}

int main(int argc, char **argv) {
  if (argc != 8) fail("usage: floor GATEWAY BIND_ADDRESS WEBUI_ADDRESS WEBUI_PORT PASSWORD_FILE COUNT_FILE INTERNAL_PORT");
  unsigned internal = (unsigned)atoi(argv[7]);
  struct timeval quarter = {0, 250000}, five = {5, 0};

  int udp = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in local = {.sin_family = AF_INET}, gateway = {.sin_family = AF_INET, .sin_port = htons(5351)};
  if (inet_pton(AF_INET, argv[2], &local.sin_addr) != 1 || inet_pton(AF_INET, argv[1], &gateway.sin_addr) != 1) fail("bad address");
  if (bind(udp, (struct sockaddr *)&local, sizeof local) || connect(udp, (struct sockaddr *)&gateway, sizeof gateway)) fail("UDP socket");
  setsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, &quarter, sizeof quarter);

  tcp = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, &five, sizeof five);
  struct sockaddr_in webui = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[4]))};
  if (inet_pton(AF_INET, argv[3], &webui.sin_addr) != 1 || connect(tcp, (struct sockaddr *)&webui, sizeof webui)) fail("cannot connect to the WebUI");
  snprintf(host, sizeof host, "%s:%s", argv[3], argv[4]);

  char password[128] = {0}, form[256];
  FILE *file = fopen(argv[5], "r");
  if (!file || !fgets(password, sizeof password, file)) fail("cannot read the password file");
  fclose(file);
  password[strcspn(password, "\r\n")] = 0;  // the bench's password is hex: no URL encoding needed
  size_t body;
  snprintf(form, sizeof form, "username=admin&password=%s", password);
  if (exchange("POST", "/api/v2/auth/login", form, &body) != 200) fail("login refused");
  const char *sid = strcasestr(answer, "\r\nSet-Cookie: SID=");
  if (!sid) fail("no session cookie");
  sid += 14;
  size_t sid_length = strcspn(sid, ";\r");
  if (sid_length >= sizeof cookie) fail("session cookie too long");
  memcpy(cookie, sid, sid_length);

  unsigned port = internal;
  for (long cycles = 1;; cycles++) {
    struct timespec began, ended;
    clock_gettime(CLOCK_MONOTONIC, &began);
    for (unsigned char op = 1; op <= 2; op++) {  // 1 UDP, 2 TCP
      unsigned char request[12] = {0, op, 0, 0, internal >> 8, internal & 255, port >> 8, port & 255, 0, 0, 0, 60}, reply[16];
      if (send(udp, request, sizeof request, 0) != sizeof request) fail("NAT-PMP send");
      if (recv(udp, reply, sizeof reply, 0) != sizeof reply || reply[1] != 128 + op || reply[2] || reply[3]) fail("NAT-PMP reply");
      port = (unsigned)reply[10] << 8 | reply[11];
    }
    if (exchange("GET", "/api/v2/app/preferences", NULL, &body) != 200) fail("preferences");
    const char *field = strstr(answer + body, "\"listen_port\":");
    if (!field) fail("no listen_port");
    unsigned listen = (unsigned)atoi(field + 14);  // read now: the next exchange reuses the buffer
    if (exchange("GET", "/api/v2/transfer/info", NULL, &body) != 200 || !strstr(answer + body, "\"connection_status\"")) fail("transfer/info");
    if (listen != port) {
      snprintf(form, sizeof form, "json=%%7B%%22listen_port%%22%%3A%u%%7D", port);
      if (exchange("POST", "/api/v2/app/setPreferences", form, &body) != 200) fail("setPreferences");
    }

    file = fopen(argv[6], "w");
    if (!file) fail("cannot write the count file");
    fprintf(file, "%ld\n", cycles);
    fclose(file);
    clock_gettime(CLOCK_MONOTONIC, &ended);
    long used_us = (ended.tv_sec - began.tv_sec) * 1000000L + (ended.tv_nsec - began.tv_nsec) / 1000;
    if (used_us < 1000000L) usleep((useconds_t)(1000000L - used_us));
  }
}
