package dev.tinygen.transformer.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import dev.tinygen.nn.Rng;
import dev.tinygen.nn.io.Checkpoint;
import dev.tinygen.transformer.Gpt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training JVM killed (SIGKILL, no shutdown hooks) at random moments while it checkpoints after every step
 * never leaves an unreadable checkpoint: after each kill the file on disk loads (the previous step's or the
 * new one), its step never goes back, and the run resumes from it. The resumed run's losses then equal an
 * uninterrupted run's bit for bit: same machine, same thread count (the JVMs inherit one environment), same seed.
 */
class CrashSafetyTest {
    private static final int ITERS = 40;
    private static final int KILLS = 4;
    private static final int SAVE_LOOP_KILLS = 6;

    /**
     * The write itself interrupted: a process that does nothing but save a 16 MB checkpoint is killed at random,
     * and the file must then hold one whole save (every element equal to the save number in its metadata),
     * never a mixture of two, with the save number never going back.
     */
    @Test
    void aKillInsideAWriteLeavesTheWholePreviousOrNewFile(@TempDir Path dir) throws Exception {
        Random random = new Random(3);
        int last = 0, midWrite = 0;
        for (int k = 0; k < SAVE_LOOP_KILLS; k++) {
            Process p = start("--save-loop", dir.toString());
            BlockingQueue<String> lines = reader(p);
            String line;
            do {
                line = lines.poll(120, TimeUnit.SECONDS);
            } while (line != null && !line.startsWith("saved "));
            assertTrue(line != null, "the saving child printed nothing");
            Thread.sleep(random.nextInt(400));
            p.destroyForcibly();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "killed child did not exit");
            List<Path> leftovers = temporaryFiles(dir);
            if (!leftovers.isEmpty()) midWrite++;
            for (Path t : leftovers) Files.delete(t);

            CheckpointingRun.Blob blob = new CheckpointingRun.Blob();
            Map<String, String> meta = Checkpoint.load(dir.resolve(CheckpointingRun.CHECKPOINT), blob, null);
            int n = Integer.parseInt(meta.get("n"));
            assertTrue(n >= last, "the save number went back from " + last + " to " + n);
            assertEquals(n, blob.values.value().minNumber().doubleValue(), "smallest element of save " + n);
            assertEquals(n, blob.values.value().maxNumber().doubleValue(), "largest element of save " + n);
            last = n;
        }
        System.out.printf("crash safety (save loop): %d kills, %d inside a write (a temporary file left), last save %d%n",
                SAVE_LOOP_KILLS, midWrite, last);
        assertTrue(midWrite > 0, "no kill landed inside a write; the test did not test what it claims");
    }

    @Test
    void killedRunsLeaveALoadableCheckpointAndResumeOnTheSameTrajectory(@TempDir Path tmp) throws Exception {
        Path reference = Files.createDirectories(tmp.resolve("whole"));
        Map<Integer, String> expected = losses(runToEnd(reference));
        assertEquals(ITERS, expected.size(), "the uninterrupted run's losses: " + expected.keySet());

        Path crashed = Files.createDirectories(tmp.resolve("crashed"));
        Random random = new Random(11);
        int lastStep = 0, midWrite = 0, kills = 0;
        List<Integer> stepsAfterKills = new ArrayList<>();
        while (kills < KILLS) {
            Process p = start(crashed.toString(), Integer.toString(ITERS));
            BlockingQueue<String> lines = reader(p);
            String first;
            do {
                first = lines.poll(120, TimeUnit.SECONDS);
            } while (first != null && !first.startsWith("start "));   // skipping library log lines
            assertTrue(first != null && first.startsWith("start "), "child did not start: " + first);
            assertEquals(lastStep, Integer.parseInt(first.substring(6)), "the child resumed from the wrong step");
            // Wait for training to be under way, then kill at a random moment of the next 1.5 s.
            String line;
            do {
                line = lines.poll(120, TimeUnit.SECONDS);
            } while (line != null && !line.contains("step") && !line.equals("done"));
            if (line == null || line.equals("done")) break;
            Thread.sleep(random.nextInt(800));
            boolean finished = !p.isAlive();
            p.destroyForcibly();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "killed child did not exit");
            if (finished) break;
            kills++;

            int leftovers = temporaryFiles(crashed).size();
            if (leftovers > 0) midWrite++;
            for (Path t : temporaryFiles(crashed)) Files.delete(t);
            Path ckpt = crashed.resolve(CheckpointingRun.CHECKPOINT);
            if (!Files.exists(ckpt)) {
                assertEquals(0, lastStep, "the checkpoint vanished after step " + lastStep);
                continue;
            }
            Gpt fresh = new Gpt(CheckpointingRun.CONFIG, new Rng(99));
            Map<String, String> meta = Checkpoint.load(ckpt, fresh, null);   // throws if the kill broke the file
            int step = Integer.parseInt(meta.get("step"));
            assertTrue(step >= lastStep, "checkpoint went back from step " + lastStep + " to " + step);
            lastStep = step;
            stepsAfterKills.add(step);
        }
        System.out.printf("crash safety: %d kills, %d of them inside a checkpoint write (a temporary file left), "
                + "checkpoint steps after each kill %s%n", kills, midWrite, stepsAfterKills);
        assertTrue(kills >= 2, "too few kills landed before the run finished: " + kills);
        assertTrue(lastStep > 0 && lastStep < ITERS, "no checkpoint in the middle of the run: step " + lastStep);

        Map<Integer, String> resumed = losses(runToEnd(crashed));
        assertEquals(ITERS - lastStep, resumed.size(), "steps trained after resuming from " + lastStep);
        for (var e : resumed.entrySet())
            assertEquals(expected.get(e.getKey()), e.getValue(), "loss bits of step " + e.getKey() + " after resuming from " + lastStep);
    }

    private static Process start(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CheckpointingRun.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    private static BlockingQueue<String> reader(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) q.add(l);
            } catch (IOException closed) {
                // the process was killed; its output ends here
            }
        });
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static List<String> runToEnd(Path dir) throws Exception {
        Process p = start(dir.toString(), Integer.toString(ITERS));
        BlockingQueue<String> lines = reader(p);
        List<String> out = new ArrayList<>();
        boolean exited = p.waitFor(300, TimeUnit.SECONDS);
        assertTrue(exited, "training child did not finish in 300 s");
        Thread.sleep(200);
        lines.drainTo(out);
        assertEquals(0, p.exitValue(), "child failed: " + String.join("\n", out));
        assertTrue(out.contains("done"), "child output: " + String.join("\n", out));
        return out;
    }

    private static Map<Integer, String> losses(List<String> lines) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (String l : lines) {
            if (!l.startsWith("loss ")) continue;
            String[] f = l.split(" ");
            m.put(Integer.parseInt(f[1]), f[2]);
        }
        return m;
    }

    private static List<Path> temporaryFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
