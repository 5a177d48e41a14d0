// getaddrinfo with AI_NUMERICSERV and no service: the same resolution the server's bind() does.
#include "credo/serve/listen_address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <memory>

namespace credo::serve {

bool is_loopback_host(const std::string& host) {
  if (host.empty()) return false;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || !found) return false;
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  for (addrinfo* a = found; a; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      uint32_t address = ntohl(reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr.s_addr);
      if ((address >> 24) != 127) return false;
    } else if (a->ai_family == AF_INET6) {
      const in6_addr& address = reinterpret_cast<const sockaddr_in6*>(a->ai_addr)->sin6_addr;
      if (!IN6_IS_ADDR_LOOPBACK(&address)) return false;
    } else {
      return false;
    }
  }
  return true;
}

Status check_listen_address(const std::string& host, bool tokens_enforced) {
  if (tokens_enforced || is_loopback_host(host)) return Status::Ok();
  return Status::InvalidArgument("--host " + host +
                                 " is not a loopback address: listening beyond this machine needs bearer tokens "
                                 "(--token-file FILE)");
}

}  // namespace credo::serve
