using GatewayProxy.Protocol.Gateway;
using Xunit;

namespace GatewayProxy.Tests.Protocol;

public class CloseCodeTests
{
    [Theory]
    [InlineData(4004, true)]
    [InlineData(4010, true)]
    [InlineData(4014, true)]
    [InlineData(4000, false)]
    [InlineData(4009, false)]
    [InlineData(1000, false)]
    public void Fatal_codes_are_4004_and_4010_to_4014(int code, bool fatal) => Assert.Equal(fatal, GatewayCloseCodes.IsFatal(code));

    [Theory]
    [InlineData(1000, false)]
    [InlineData(1001, false)]
    [InlineData(4000, true)]
    [InlineData(4901, true)]
    [InlineData(4007, false)]
    [InlineData(4004, false)]
    public void Only_1000_1001_and_session_ending_codes_end_the_session(int code, bool resumable) => Assert.Equal(resumable, GatewayCloseCodes.KeepsSessionResumable(code));
}
