// `credo serve`: the scoring API for a registered model version, until SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <thread>

#include "commands.h"
#include "credo/serve/api_server.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct ServeFlags {
  std::string model = "models:/credit-default@champion", store, features;
  serve::ServerOptions server;
  bool quiet = false;
};

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

Status run_serve(ServeFlags& flags) {
  if (!is_loopback(flags.server.host))
    return Status::InvalidArgument("--host " + flags.server.host +
                                   " is not a loopback address: credo serve listens only on this machine until "
                                   "bearer tokens (--token-file) are available");
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
                         serve::ScoringService::open(*store, flags.model, flags.features));
  if (flags.quiet) flags.server.access_log = nullptr;

  serve::PredictionLog prediction_log(*store);
  serve::ApiServer server(*service, flags.server, &prediction_log);
  CREDO_RETURN_IF_ERROR(server.bind());
  std::shared_ptr<const serve::ServedModel> model = service->current();
  std::printf("serving            %s (version %d, %s, threshold %.4g, %zu known clients)\n", model->uri.c_str(),
              model->version, model->bundle.info.algorithm.c_str(), model->bundle.info.threshold,
              model->clients->num_clients());
  std::printf("listening on       http://%s:%d\n", flags.server.host.c_str(), server.port());
  std::fflush(stdout);
  std::thread signal_waiter([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop();
  });
  Status served = server.serve();
  // serve() also returns when listening fails; wake the waiter so it can be joined.
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
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
  cmd->add_option("--model", flags->model, "models:/NAME@ALIAS, models:/NAME/VERSION or runs:/RUN/model")
      ->capture_default_str();
  add_store_flag(cmd, flags->store);
  cmd->add_option("--features", flags->features,
                  "The known clients' feature file (default: the one the model was trained on)");
  cmd->add_option("--host", flags->server.host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", flags->server.port, "Port (0: any free port)")->capture_default_str();
  cmd->add_option("--workers", flags->server.worker_threads, "Threads serving connections")->capture_default_str();
  cmd->add_flag("-q,--quiet", flags->quiet, "No access log");
  cmd->callback([flags, &exit_code] { exit_code = report(run_serve(*flags)); });
}

}  // namespace credo::cli
