package dev.tinygen.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @Test
    void aWrittenFileHasTheUsualPermissionsAndNoTemporaryIsLeft(@TempDir Path dir) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path plain = Files.createFile(dir.resolve("plain"));                               // 0666 less the umask
        Path written = dir.resolve("sub").resolve("written.bin");                           // its folder is created
        AtomicFile.write(written, new byte[] {1, 2, 3});
        AtomicFile.write(written, new byte[] {4, 5});                                       // replaced whole
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(written));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
        try (var files = Files.list(written.getParent())) {
            assertEquals(List.of(written), files.toList());
        }
    }
}
