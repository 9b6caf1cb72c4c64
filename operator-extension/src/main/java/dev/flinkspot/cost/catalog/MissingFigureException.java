package dev.flinkspot.cost.catalog;

import dev.flinkspot.common.UserInputException;

/** A report needed a figure the catalog does not have; the message says how to supply it. */
public final class MissingFigureException extends UserInputException {
  private static final long serialVersionUID = 1L;

  private final String figurePath;

  public MissingFigureException(String figurePath) {
    super(
        "no price for "
            + figurePath
            + " in the catalog: supply it in a price file with --prices FILE"
            + " (`flinkspot prices refresh --region R --output FILE` writes one;"
            + " `flinkspot prices show` lists what is known)");
    this.figurePath = figurePath;
  }

  /**
   * Where the figure belongs in a price file, e.g. {@code
   * regions.us-east-2.ec2.onDemandHour.m5.xlarge}.
   */
  public String figurePath() {
    return figurePath;
  }
}
