package dev.tinygen.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinygen <command>}: the jobs of the library, each one command away. */
@Command(name = "tinygen", mixinStandardHelpOptions = true, version = "tinygen 0.1.0",
        description = "Build, train and look inside small generative models on ND4J.",
        subcommands = {TrainGptCommand.class, SampleCommand.class, TokenizeCommand.class, TrainBpeCommand.class,
            BigramCommand.class, TrainMlpCommand.class,
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
            ex.getCommandLine().getErr().println("(see: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        return cl.execute(args);
    }

    /**
     * The message of the outermost exception that says something: a wrapper is skipped only when it adds nothing
     * to its cause. A file-system error without a reason gets one ("no such file", ...).
     */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString())))
            t = t.getCause();
        String m;
        if (t instanceof java.nio.file.NoSuchFileException f) m = f.getFile() + ": no such file or folder";
        else if (t instanceof java.nio.file.FileAlreadyExistsException f) m = f.getFile() + ": already exists (and is not a folder)";
        else if (t instanceof java.nio.file.AccessDeniedException f) m = f.getFile() + ": access denied";
        else if (t instanceof java.nio.charset.CharacterCodingException) m = "the file is not valid UTF-8 text (" + t + ")";
        else m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replace('\n', ' ');
    }
}
