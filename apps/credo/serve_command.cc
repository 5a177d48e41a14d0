// `credo serve`: the scoring API for a registered model version, until SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <chrono>
#include <thread>

#include "commands.h"
#include "credo/serve/api_server.h"
#include "credo/serve/listen_address.h"
#include "credo/serve/reload_poller.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct ServeFlags {
  std::string model = "models:/credit-default@champion", store, features, data, token_file;
  serve::ServerOptions server;
  int reload_interval_seconds = 30;
  bool quiet = false;
};

Status run_serve(ServeFlags& flags) {
  if (!flags.token_file.empty()) {
    CREDO_ASSIGN_OR_RETURN(flags.server.tokens, serve::AccessTokens::load(flags.token_file));
  }
  CREDO_RETURN_IF_ERROR(serve::check_listen_address(flags.server.host, flags.server.tokens.enforced()));
  if (flags.reload_interval_seconds < 0)
    return Status::InvalidArgument("--reload-interval must be 0 (never) or a number of seconds");
  // SIGINT and SIGTERM are taken by a thread that stops the server, so the main thread returns
  // from serve() normally. They are blocked before any thread starts (loading a model starts
  // XGBoost's), so every thread inherits the mask and none dies of them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  CREDO_ASSIGN_OR_RETURN(std::unique_ptr<serve::ScoringService> service,
                         serve::ScoringService::open(*store, flags.model,
                                                     {.features_path = flags.features, .data_path = flags.data}));
  if (flags.quiet) flags.server.access_log = nullptr;

  serve::PredictionLog prediction_log(*store);
  const std::string host = flags.server.host;
  serve::ApiServer server(*service, *store, std::move(flags.server), &prediction_log);
  CREDO_RETURN_IF_ERROR(server.bind());
  std::shared_ptr<const serve::ServedModel> model = service->current();
  std::printf("serving            %s (version %d, %s, threshold %.4g, %zu known clients)\n", model->uri.c_str(),
              model->version, model->bundle.info.algorithm.c_str(), model->bundle.info.threshold,
              model->clients->num_clients());
  std::printf("known clients      %s%s\n", model->profiles ? "described, population and what-if on" : "scores only",
              model->profiles ? "" : " (give --data for descriptions, population and what-if)");
  std::printf("listening on       http://%s:%d  (docs: /docs)\n", host.c_str(), server.port());
  std::fflush(stdout);
  // The alias is checked every --reload-interval seconds; a moved alias is loaded and swapped in.
  serve::ReloadPoller reload_poller(server, std::chrono::seconds(flags.reload_interval_seconds), stderr);
  std::thread signal_waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
  });
  Status served = server.serve();
  // serve() also returns when listening fails; wake the waiter so it can be joined.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  reload_poller.stop();
  // The server has answered its last request: write every prediction it acknowledged.
  prediction_log.close();
  std::printf("stopped            %llu predictions logged\n",
              static_cast<unsigned long long>(prediction_log.written()));
  return served;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve a registered model over HTTP: score, decide, explain");
  // Container platforms configure through the environment: each flag below with an envname()
  // reads it when the flag is absent.
  cmd->add_option("--model", flags->model, "models:/NAME@ALIAS, models:/NAME/VERSION or runs:/RUN/model")
      ->envname("CREDO_MODEL")
      ->capture_default_str();
  add_store_flag(cmd, flags->store);
  cmd->add_option("--data", flags->data,
                  "The Home Credit folder or zip of the known clients (default: the one the features were built from)");
  cmd->add_option("--token-file", flags->token_file,
                  "Bearer tokens with roles, one per line: ROLE TOKEN [NAME] (roles read, score, admin)")
      ->envname("CREDO_TOKEN_FILE");
  cmd->add_option("--reload-interval", flags->reload_interval_seconds,
                  "Seconds between checks that the model's alias still names the version served (0: never)")
      ->capture_default_str();
  cmd->add_option("--features", flags->features,
                  "The known clients' feature file (default: the one the model was trained on)");
  cmd->add_option("--host", flags->server.host, "Address to listen on")->envname("CREDO_HOST")->capture_default_str();
  cmd->add_option("--port", flags->server.port, "Port (0: any free port)")->envname("CREDO_PORT")->capture_default_str();
  cmd->add_option("--workers", flags->server.limits.worker_threads, "Threads running requests (connections cost none)")
      ->capture_default_str();
  cmd->add_option("--max-connections", flags->server.limits.max_connections, "Open connections at most, in total")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-connections-per-address", flags->server.limits.max_connections_per_address,
                  "Open connections at most from one client address (0: no cap; behind a proxy, every client has the proxy's address)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", flags->quiet, "No access log");
  cmd->callback([flags, &exit_code] { exit_code = report(run_serve(*flags)); });
}

}  // namespace credo::cli
