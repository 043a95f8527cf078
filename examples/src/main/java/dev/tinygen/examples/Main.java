package dev.tinygen.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinygen <command>}: the jobs of the library, each one command away. */
@Command(name = "tinygen", mixinStandardHelpOptions = true, version = "tinygen 0.1.0",
        description = "Build, train and look inside small generative models on ND4J.",
        subcommands = {TrainGptCommand.class, SampleCommand.class, TokenizeCommand.class, TrainMlpCommand.class,
            TrainAeCommand.class, TrainVaeCommand.class, TrainClassifierCommand.class, TrainGanCommand.class,
            DrawCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--debug", description = "Print stack traces on errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 success, 2 bad input or failure (one line on stderr). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : dev.tinygen.examples.demo.DemoCommands.all()) cl.addSubcommand(c);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean debug = false;
            for (String a : args) debug |= a.equals("--debug");
            if (debug) ex.printStackTrace();
            else cmd.getErr().println("error: " + oneLine(ex));
            return 2;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().getErr().println("(see: tinygen " + ex.getCommandLine().getCommandName() + " --help)");
            return 2;
        });
        return cl.execute(args);
    }

    static String oneLine(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getMessage() != null && t.getCause().getMessage() != null
                && t.getMessage().contains(t.getCause().getMessage())) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replace('\n', ' ');
    }
}
