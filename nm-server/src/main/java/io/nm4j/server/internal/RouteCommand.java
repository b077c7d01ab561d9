package io.nm4j.server.internal;

import io.nm4j.core.AlertmanagerWebhook;
import io.nm4j.core.Explain;
import io.nm4j.core.InvalidPayloadException;
import io.nm4j.spi.AlertBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nm4j route}: explains how one Alertmanager webhook payload routes on a configuration
 * directory, without sending anything.
 */
@Command(
    name = "route",
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    description = "Show which receivers and configs a webhook payload reaches; sends nothing.",
    footer = {
      "",
      "Prints the explain JSON: notifications (one per receiver, sorted, with its config and the",
      "0-based indexes of its alerts), unrouted alerts with the reason, and configuration problems.",
      "Exit codes: 0 explained; 2 unreadable directory or payload, bad arguments."
    })
public final class RouteCommand implements Callable<Integer> {
  /** Largest payload read; Alertmanager's own bodies are far smaller. */
  private static final long MAX_PAYLOAD_BYTES = 16L * 1024 * 1024;

  @Spec CommandSpec spec;

  @Mixin HelpOption help = new HelpOption();

  @Mixin ConfigInput input = new ConfigInput();

  @Option(
      names = "--alerts",
      paramLabel = "FILE",
      required = true,
      description = "Alertmanager webhook (version 4) payload, JSON")
  String alerts = "";

  @Override
  public Integer call() {
    try {
      AlertBatch batch = readPayload(alerts);
      ConfigInput.Loaded config = input.load();
      spec.commandLine()
          .getOut()
          .println(Explain.of(config.snapshot().route(batch)).toIndentedJson());
      return 0;
    } catch (InputException e) {
      spec.commandLine()
          .getErr()
          .println("nm4j route: " + Lines.oneLine(String.valueOf(e.getMessage())));
      return 2;
    }
  }

  /** The webhook payload in {@code text}, a file, read within {@link #MAX_PAYLOAD_BYTES}. */
  static AlertBatch readPayload(String text) throws InputException {
    byte[] body;
    try {
      Path file = Path.of(text);
      if (Files.isDirectory(file)) {
        throw new InputException(text + ": is a directory, expected a JSON file");
      }
      if (Files.size(file) > MAX_PAYLOAD_BYTES) {
        throw new InputException(text + ": larger than " + MAX_PAYLOAD_BYTES + " bytes");
      }
      body = Files.readAllBytes(file);
    } catch (InvalidPathException e) {
      throw new InputException(text + ": not a valid path");
    } catch (NoSuchFileException e) {
      throw new InputException(text + ": no such file");
    } catch (IOException e) {
      throw new InputException(text + ": cannot read: " + e.getMessage());
    }
    try {
      return AlertmanagerWebhook.decode(body);
    } catch (InvalidPayloadException e) {
      throw new InputException(text + ": " + e.getMessage());
    }
  }
}
