<#-- DingTalk's built-in markdown; "title" is the rendered title with the robot's keyword. -->
<#import "/nm.ftl" as nm>
<#macro alert a>
- **${a.name}**<#if a.summary?has_content>: ${a.summary}</#if>

<#if a.labels?has_content>
  ${words.labels}: ${nm.labels(a)}

</#if>
<#list a.annotations as n>
  ${n.name}: ${n.value}

</#list>
  <#if a.startsAt?has_content>${words.startsAt}: ${a.startsAt}</#if><#if a.endsAt?has_content>, ${words.endsAt}: ${a.endsAt}</#if>

<#if a.generatorURL?has_content || a.runbookURL?has_content>
  <#if a.generatorURL?has_content>[${words.source}](${a.generatorURL?no_esc})</#if><#if a.runbookURL?has_content> [${words.runbook}](${a.runbookURL?no_esc})</#if>

</#if>
</#macro>
#### ${title!nm.title()}

<#list firing>
##### ${words.firing} (${firing?size})

<#items as a>
<@alert a/>
</#items>
</#list>
<#list resolved>
##### ${words.resolved} (${resolved?size})

<#items as a>
<@alert a/>
</#items>
</#list>
<#if truncatedNote?has_content>
*${truncatedNote}*
</#if>
