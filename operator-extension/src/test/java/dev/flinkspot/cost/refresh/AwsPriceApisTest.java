package dev.flinkspot.cost.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** SDK failures become one line naming the API, the status and, when denied, the permission. */
class AwsPriceApisTest {

  @Test
  void aDeniedCallNamesThePermissionItNeeds() {
    AwsServiceException denied =
        AwsServiceException.builder()
            .statusCode(400)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("UnauthorizedOperation")
                    .errorMessage("You are not authorized to perform this operation.\nmore")
                    .build())
            .build();
    AwsServiceException forbidden =
        AwsServiceException.builder()
            .statusCode(403)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build())
            .build();

    assertThat(AwsPriceApis.failure("AWS Pricing GetProducts", "pricing:GetProducts", forbidden))
        .hasMessage(
            "AWS Pricing GetProducts failed: HTTP 403 AccessDeniedException: the credentials need"
                + " pricing:GetProducts");
    assertThat(
            AwsPriceApis.failure(
                "AWS EC2 DescribeSpotPriceHistory", "ec2:DescribeSpotPriceHistory", denied))
        .hasMessage(
            "AWS EC2 DescribeSpotPriceHistory failed: HTTP 400 UnauthorizedOperation: the"
                + " credentials need ec2:DescribeSpotPriceHistory");
  }

  @Test
  void aClientFailureKeepsOnlyItsFirstLine() {
    SdkClientException unreachable =
        SdkClientException.create("Unable to execute HTTP request: Connection refused\n\tat x");

    assertThat(AwsPriceApis.failure("AWS Pricing GetProducts", "pricing:GetProducts", unreachable))
        .hasMessage(
            "AWS Pricing GetProducts failed: Unable to execute HTTP request: Connection refused");
  }
}
