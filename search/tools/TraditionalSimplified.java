// Writes config/solr/conf/traditional-simplified.txt (without its header comment):
//   javac -cp icu4j-74.2.jar TraditionalSimplified.java && java -cp icu4j-74.2.jar:. TraditionalSimplified OUT
// icu4j from Maven Central (com.ibm.icu:icu4j:74.2). Not part of the launcher build.
import com.ibm.icu.text.Transliterator;
import java.io.*;
import java.nio.charset.StandardCharsets;
public class TraditionalSimplified {
  public static void main(String[] a) throws Exception {
    Transliterator t = Transliterator.getInstance("Traditional-Simplified");
    int[][] ranges = {{0x3400,0x4DBF},{0x4E00,0x9FFF},{0xF900,0xFAFF}};
    try (PrintStream out = new PrintStream(new FileOutputStream(a[0]), true, StandardCharsets.UTF_8)) {
      int n = 0;
      for (int[] r : ranges) for (int cp = r[0]; cp <= r[1]; cp++) {
        String s = new String(Character.toChars(cp));
        String u = t.transliterate(s);
        if (!u.equals(s) && u.codePointCount(0, u.length()) == 1) { out.println("\"" + s + "\" => \"" + u + "\""); n++; }
      }
      System.err.println(n + " mappings");
    }
  }
}
