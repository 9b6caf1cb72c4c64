package dev.flinkspot.cost.catalog;

import dev.flinkspot.common.UserInputException;
import java.util.List;

/** A report needed a figure the catalog does not have; the message says how to supply it. */
public final class MissingFigureException extends UserInputException {
  private static final long serialVersionUID = 1L;

  private final List<String> figurePaths;

  public MissingFigureException(String figurePath) {
    this(List.of(figurePath));
  }

  /** Every figure a report lacked, named at once. */
  public MissingFigureException(List<String> figurePaths) {
    super(message(figurePaths));
    this.figurePaths = List.copyOf(figurePaths);
  }

  /** The one-line message naming {@code figurePaths} and how to supply them. */
  public static String message(List<String> figurePaths) {
    return "no price for "
        + String.join(", ", figurePaths)
        + " in the catalog: supply "
        + (figurePaths.size() == 1 ? "it" : "them")
        + " in a price file with --prices FILE"
        + " (`flinkspot prices refresh --region R --output FILE` writes one;"
        + " `flinkspot prices show --region R` lists what is known)";
  }

  /**
   * Where the first figure belongs in a price file, e.g. {@code
   * regions.us-east-2.ec2.onDemandHour.m5.xlarge}.
   */
  public String figurePath() {
    return figurePaths.get(0);
  }

  /** Where every missing figure belongs in a price file. */
  public List<String> figurePaths() {
    return figurePaths;
  }
}
